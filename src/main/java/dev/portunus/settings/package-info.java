/**
 * Facts the server keeps about itself in the one-row {@code server_settings} table, and the runtime
 * settings an operator changes through {@code /v1/settings} (the advertised-endpoint override,
 * 06-traffic.md §3). Below clients: the endpoint itself is resolved by {@code clients/ClientEndpoint}
 * through the {@link dev.portunus.settings.AdvertisedEndpoints} participant.
 */
package dev.portunus.settings;
