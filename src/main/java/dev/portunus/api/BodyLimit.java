package dev.portunus.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bodies over 1 MiB answer 413 {@code body_too_large} in the error envelope. The HTTP layer's own
 * limit answers a bare 413; a declared Content-Length is refused here before the body is read, and
 * a chunked body that crosses the limit is caught by the router's 413 handler.
 */
@ApplicationScoped
public class BodyLimit {

    public static final long MAX_BODY = 1024 * 1024;

    static final String BODY = "{\"error\":{\"code\":\"body_too_large\",\"message\":\"request bodies are limited to 1 MiB\"}}";

    static void declaredLength(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    refuse(rc);
                    return;
                }
            } catch (NumberFormatException ignored) {
                // the HTTP layer answers 400 for this
            }
        }
        rc.next();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(BodyLimit::declaredLength);
        router.errorHandler(413, BodyLimit::refuse);
    }

    static void refuse(RoutingContext rc) {
        if (rc.response().headWritten()) {
            return;
        }
        rc.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(BODY);
    }
}
