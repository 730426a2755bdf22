package dev.portunus.settings;

/**
 * Turns the stored override into the endpoint a new enrollment would use (06-traffic.md §3). The
 * clients area implements it ({@code clients/ClientEndpoint}): only the client listener knows its
 * bound port and its certificate. Settings, below clients, calls no area above it.
 */
public interface AdvertisedEndpoints {

    /**
     * The resolution tiers: {@code override} (the stored value, null when none), then the config seed,
     * then host name (or the specific listen host) + bound port, then {@code localhost} + bound port.
     * Never throws for a bad override: the answer says why it is unusable.
     */
    Resolution resolve(String override);

    /**
     * {@code effective} is null iff {@code diagnostic} is not; {@code source} is one of
     * {@code override}, {@code seed}, {@code derived}, {@code loopback}, or null with {@code effective};
     * {@code sanCovered} is null with {@code effective} (or when the certificate cannot be read), and
     * {@code warning} is set when it is not true.
     */
    record Resolution(String effective, String source, String diagnostic, Boolean sanCovered, String warning) {
    }
}
