package dev.portunus.api;

import io.vertx.core.http.HttpServerRequest;

/** The peer address used as part of the throttling key (no proxy headers are trusted). */
public final class RemoteAddress {

    private RemoteAddress() {
    }

    public static String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return "unknown";
        }
        String host = request.remoteAddress().hostAddress();
        return host == null ? "unknown" : host;
    }
}
