package dev.portunus.settings;

import dev.portunus.api.ApiException;
import dev.portunus.api.Require;
import dev.portunus.config.AdvertisedEndpoint;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Runtime settings kept in the store ({@code server_settings}); today the advertised-endpoint
 * override (06-traffic.md §3). It takes effect for the next enrollment, without a restart.
 */
@ApplicationScoped
public class SettingsService {

    @Inject
    Store store;

    @Inject
    AdvertisedEndpoints endpoints;

    /** The stored override and what a new enrollment would use now. */
    public SettingsJson.AdvertisedEndpoint advertisedEndpoint() {
        return view(store.read(h -> SettingsRepository.text(h, SettingsRepository.ADVERTISED_ENDPOINT)).orElse(null));
    }

    /**
     * Sets ({@code host:port}) or clears ({@code null}, {@code ""}) the override in one transaction.
     * 422 {@code endpoint_invalid} with the reason when the field is absent or the value breaks the
     * grammar of {@link AdvertisedEndpoint}; 422 {@code invalid_type} when it is neither a string nor null. A host outside the certificate's names is accepted
     * ({@code san_covered:false} and a warning, §7.1): the certificate is never regenerated.
     */
    public SettingsJson.AdvertisedEndpoint setAdvertisedEndpoint(SettingsJson.AdvertisedEndpointUpdate body) {
        Require.body(body);
        if (!body.given()) {
            throw ApiException.invalid("endpoint_invalid", "field 'advertised_endpoint' is required (a host:port, or null to clear)");
        }
        if (!body.isNull() && !body.isText()) {
            throw ApiException.invalid("invalid_type", "field 'advertised_endpoint' must be a string (host:port) or null");
        }
        String value = body.isNull() || body.text().isEmpty() ? null : body.text();
        if (value != null) {
            try {
                AdvertisedEndpoint.parse(value);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("endpoint_invalid", "advertised_endpoint is not a valid host:port: " + e.getMessage());
            }
        }
        store.write(h -> {
            if (value == null) {
                SettingsRepository.remove(h, SettingsRepository.ADVERTISED_ENDPOINT, Timestamps.now());
            } else {
                SettingsRepository.putText(h, SettingsRepository.ADVERTISED_ENDPOINT, value, Timestamps.now());
            }
            return null;
        });
        return view(value);
    }

    private SettingsJson.AdvertisedEndpoint view(String override) {
        AdvertisedEndpoints.Resolution r = endpoints.resolve(override);
        return new SettingsJson.AdvertisedEndpoint(override, r.effective(), r.source(), r.diagnostic(), r.sanCovered(), r.warning());
    }
}
