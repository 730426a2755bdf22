package dev.portunus.config;

import java.util.Optional;

/**
 * The effective server configuration (01-store.md §3a): built-in defaults, overridden by
 * {@code server.toml}, by environment variables, by command-line flags.
 */
public record ServerSettings(
        HostPort operatorHttpListen,
        HostPort clientListen,
        Optional<String> operatorToken,
        Optional<String> advertisedEndpoint,
        LogFormat logFormat) {

    public enum LogFormat { TEXT, JSON }

    public static ServerSettings defaults() {
        return new ServerSettings(HostPort.parse("127.0.0.1:7080"), HostPort.parse("0.0.0.0:7443"),
                Optional.empty(), Optional.empty(), LogFormat.TEXT);
    }

    /** Never prints the operator token. */
    @Override
    public String toString() {
        return "ServerSettings[operator_http_listen=" + operatorHttpListen + ", client_listen=" + clientListen
                + ", operator_token=" + (operatorToken.isPresent() ? "<set>" : "<none>")
                + ", advertised_endpoint=" + advertisedEndpoint.orElse("<default>")
                + ", log_format=" + logFormat + "]";
    }
}
