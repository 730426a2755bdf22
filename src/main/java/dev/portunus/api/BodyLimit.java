package dev.portunus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Bodies over 1 MiB answer 413 {@code body_too_large} in the error envelope (02-api.md "Errors"),
 * on both listeners. A declared Content-Length is refused before the body is read
 * ({@link RequestGate}); a chunked body is read here, counting, and refused as soon as it crosses
 * the limit. Quarkus' own limit would answer a chunked body with a bare 413 from deep inside the
 * REST layer, so the operator router reads chunked bodies itself and hands them on whole.
 */
@ApplicationScoped
public class BodyLimit {

    /** Largest request body, in bytes. */
    public static final long MAX_BODY = 1024 * 1024;

    /**
     * After a 413 we keep reading (and discarding) up to this many more bytes before closing: a
     * connection closed under a client that is still sending makes its kernel drop our answer.
     */
    static final long DRAIN_LIMIT = 8 * MAX_BODY;

    /** 413 when the declared Content-Length is over {@link #MAX_BODY}; empty otherwise. */
    static Optional<ApiException> declaredRefusal(HttpServerRequest req) {
        String length = req.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    return Optional.of(HttpErrors.forStatus(413));
                }
            } catch (NumberFormatException ignored) {
                // Netty's decoder refuses these before a request object exists
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the whole body of {@code req} (which may be paused) and passes it to {@code then}; a body
     * that grows past {@link #MAX_BODY} is passed to {@code refused} as 413 instead, with
     * {@code Connection: close} already set on the response, and the rest is drained.
     */
    public static void read(HttpServerRequest req, Consumer<Buffer> then, Consumer<ApiException> refused) {
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        long[] drained = {0};
        req.handler(chunk -> {
            if (over[0]) {
                drained[0] += chunk.length();
                if (drained[0] > DRAIN_LIMIT) {
                    req.connection().close();
                }
            } else if (body.length() + chunk.length() > MAX_BODY) {
                over[0] = true;
                req.response().putHeader("Connection", "close");
                refused.accept(HttpErrors.forStatus(413));
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (over[0]) {
                closeWhenAnswered(req);
            } else {
                then.accept(body);
            }
        });
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect")) && req.version() == HttpVersion.HTTP_1_1) {
            req.response().writeContinue();
        }
        req.resume();
    }

    /**
     * For an answer given before the body was read (413 on a declared length): drain what the
     * client still sends, then close; see {@link #DRAIN_LIMIT}.
     */
    public static void drainAndClose(HttpServerRequest req) {
        req.response().putHeader("Connection", "close");
        if (req.isEnded()) {
            closeWhenAnswered(req);
            return;
        }
        long[] drained = {0};
        req.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_LIMIT) {
                req.connection().close();
            }
        });
        req.endHandler(v -> closeWhenAnswered(req));
        req.resume();
    }

    private static void closeWhenAnswered(HttpServerRequest req) {
        if (req.response().ended()) {
            req.connection().close();
        } else {
            req.response().endHandler(v -> req.connection().close());
        }
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(BodyLimit::chunked);
    }

    /** Chunked bodies are read here (see the class comment); the REST layer takes them from the context. */
    static void chunked(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        if (req.getHeader("Content-Length") != null || !req.headers().contains("Transfer-Encoding") || req.isEnded()) {
            rc.next();
            return;
        }
        read(req, body -> {
            ((RoutingContextInternal) rc).setBody(body);
            rc.next();
        }, refusal -> HttpErrors.send(rc.response(), refusal));
    }
}
