package dev.portunus.clients;

import dev.portunus.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/** Where clients reach this server and the certificate they pin; set once the client listener is up. */
@ApplicationScoped
public class ClientEndpoint {

    private volatile String advertised;
    private volatile String fingerprint;
    private volatile int port;

    /** Called once by the client listener when it is bound (clientapi/ClientListener). */
    public void set(String advertised, String fingerprint, int port) {
        this.advertised = advertised;
        this.fingerprint = fingerprint;
        this.port = port;
    }

    /** {@code host:port} that enrollment commands and bundles name. */
    public String advertised() {
        requireUp();
        return advertised;
    }

    /** Lowercase hex SHA-256 of the listener certificate's DER encoding. */
    public String fingerprint() {
        requireUp();
        return fingerprint;
    }

    /** The port the client listener actually bound (tests bind port 0). */
    public int port() {
        requireUp();
        return port;
    }

    private void requireUp() {
        if (advertised == null) {
            throw new ApiException(503, "client_listener_unavailable", "the client listener is not running in this process");
        }
    }
}
