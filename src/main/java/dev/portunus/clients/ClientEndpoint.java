package dev.portunus.clients;

import dev.portunus.api.ApiException;
import dev.portunus.config.AdvertisedEndpoint;
import dev.portunus.config.HostPort;
import dev.portunus.config.PortunusConfig;
import dev.portunus.settings.AdvertisedEndpoints;
import dev.portunus.tls.CertificateNames;
import dev.portunus.tls.TlsMaterial;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where clients reach this server and the certificate they pin; set once the client listener is up.
 * Resolves the advertised endpoint by the tiers of 06-traffic.md §3: the stored override, the config
 * seed ({@code advertised_endpoint}), host name (or the specific listen host) + the listener's bound
 * port ({@code derived}), {@code localhost} + bound port when there is no usable host name
 * ({@code loopback}). An explicit tier that is unusable is an error, never skipped.
 */
@ApplicationScoped
public class ClientEndpoint implements AdvertisedEndpoints {

    static final String UNAVAILABLE = "the client listener is not running in this process";

    @Inject
    PortunusConfig config;

    private volatile String fingerprint;
    private volatile int port;
    /** Host name lookup is slow on some machines and does not change: done once. */
    private volatile Optional<String> derivedHost;
    private volatile List<CertificateNames.San> sans;

    /**
     * Called by the client listener (clientapi/ClientListener) once it listens, with the port it bound;
     * the advertised endpoint is resolved per enrollment ({@link #resolve}), as an override may change it.
     */
    public void set(String fingerprint, int port) {
        this.port = port;
        this.fingerprint = fingerprint; // last: a non-null fingerprint means "up", with the port already visible
    }

    /** Lowercase hex SHA-256 of the listener certificate's DER encoding; 503 while the listener is down. */
    public String fingerprint() {
        requireUp();
        return fingerprint;
    }

    /** The port the client listener actually bound (tests bind port 0); 503 while the listener is down. */
    public int port() {
        requireUp();
        return port;
    }

    /**
     * The {@code host:port} a new enrollment names, given the stored override (null: none).
     * 503 {@code client_listener_unavailable} while the listener is down; 422 {@code endpoint_invalid}
     * when the winning tier is unusable (a hand-edited override that breaks the grammar).
     */
    public String effective(String override) {
        requireUp();
        Resolution r = resolve(override);
        if (r.effective() == null) {
            throw ApiException.invalid("endpoint_invalid", r.diagnostic());
        }
        return r.effective();
    }

    @Override
    public Resolution resolve(String override) {
        if (fingerprint == null) {
            return unresolved(UNAVAILABLE);
        }
        if (override != null && !override.isEmpty()) {
            return tier(override, "override", "the stored override");
        }
        Optional<HostPort> seed = config.settings().advertisedEndpoint();
        if (seed.isPresent()) {
            return tier(seed.get().toString(), "seed", "the configured advertised_endpoint");
        }
        return derivedHost().map(h -> tier(new HostPort(h, port).toString(), "derived", "the derived endpoint"))
                .orElseGet(() -> tier("localhost:" + port, "loopback", "the loopback endpoint"));
    }

    private Resolution tier(String text, String source, String what) {
        AdvertisedEndpoint.Parsed parsed;
        try {
            parsed = AdvertisedEndpoint.parse(text);
        } catch (IllegalArgumentException e) {
            return unresolved(what + " '" + text + "' is not a valid host:port (" + e.getMessage()
                    + "); set a valid one with PUT /v1/settings/advertised-endpoint");
        }
        List<CertificateNames.San> names;
        try {
            names = sans();
        } catch (IOException e) {
            return new Resolution(text, source, null, null, "cannot check the server certificate's names: " + e.getMessage());
        }
        if (CertificateNames.covers(names, parsed)) {
            return new Resolution(text, source, null, true, null);
        }
        return new Resolution(text, source, null, false, "host " + parsed.host() + " is not among the server certificate's names; "
                + "portunus-client pins the certificate, so enrollment still works");
    }

    private static Resolution unresolved(String diagnostic) {
        return new Resolution(null, null, diagnostic, null, null);
    }

    /** The specific listen host, else the machine's host name; empty when neither is a usable host. */
    private Optional<String> derivedHost() {
        Optional<String> host = derivedHost;
        if (host == null) {
            String listen = config.settings().clientListen().host();
            host = (HostPort.anyAddress(listen) ? hostName() : Optional.of(listen)).filter(h -> AdvertisedEndpoint.valid(new HostPort(h, 1).toString()));
            derivedHost = host;
        }
        return host;
    }

    private static Optional<String> hostName() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The certificate never changes while serve runs (it is pinned): read once. */
    private List<CertificateNames.San> sans() throws IOException {
        List<CertificateNames.San> s = sans;
        if (s == null) {
            s = CertificateNames.read(config.dataDir().resolve(TlsMaterial.CERT_FILE));
            sans = s;
        }
        return s;
    }

    private void requireUp() {
        if (fingerprint == null) {
            throw new ApiException(503, "client_listener_unavailable", UNAVAILABLE);
        }
    }
}
