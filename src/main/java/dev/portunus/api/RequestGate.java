package dev.portunus.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The checks every request passes before any route sees it, on both listeners (02-api.md
 * "Errors": answers of the HTTP layer itself use the envelope too): request-target length (414)
 * and syntax (400 {@code malformed_uri}, also for a raw {@code ;} in the path), total header size
 * (431), a usable {@code Host} (400
 * {@code invalid_host}) and a declared body over 1 MiB (413). On the operator API it is installed
 * as the first router handler, together with a failure handler and error handlers that put every
 * router-level failure (Vert.x Web's own 400/404/405/413/500 and anything unexpected) into the
 * envelope instead of Quarkus' error page.
 *
 * <p>What this cannot reach: Quarkus 3.33 gives no access to {@code HttpServer#invalidRequestHandler},
 * so requests that Netty's HTTP decoder itself rejects — a garbage request line, a header name with
 * illegal characters (a space, a control byte), a non-numeric {@code Content-Length}, a request line
 * over {@code quarkus.http.limits.max-initial-line-length} or headers over {@code max-header-size}
 * (both set to 64 KiB, far above {@link #MAX_URI} and {@link #MAX_HEADERS}, so that the limits are
 * ours and answer with the envelope) — get Vert.x's bare 400/414/431 and a closed connection on
 * the operator API. The client listener is a Vert.x server of its own and answers those with the
 * envelope through {@link #decoderRefusal}. On both listeners, a request line naming an HTTP version
 * other than 1.0/1.1 ({@code HTTP/2.0}, {@code HTTP/0.9}) is answered by Vert.x core itself, before
 * any handler, with a bare 501 and a close.
 */
@ApplicationScoped
public class RequestGate {

    /** Longest request target (path and query) we read, in bytes; longer → 414 {@code uri_too_long}. */
    public static final int MAX_URI = 8 * 1024;

    /**
     * Largest header block we read (names, values and their separators), in bytes; larger → 431
     * {@code headers_too_large}. Quarkus' default limit was 20 KiB; ours keeps that size.
     */
    public static final int MAX_HEADERS = 20 * 1024;

    private static final Logger LOG = Logger.getLogger(RequestGate.class);

    /** Statuses Vert.x Web may choose itself when no route handles a request; each gets the envelope. */
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422,
            429, 431, 500, 501, 502, 503, 504);

    /**
     * The refusal for {@code req} before routing, or empty when it may be routed. Used by the
     * operator router and by the client listener (one rule for both listeners).
     */
    public static Optional<ApiException> refusal(HttpServerRequest req) {
        String uri = req.uri();
        if (uri == null) {
            return Optional.of(malformedUri());
        }
        if (uri.length() > MAX_URI) {
            return Optional.of(HttpErrors.forStatus(414));
        }
        if (headerBytes(req) > MAX_HEADERS) {
            return Optional.of(HttpErrors.forStatus(431));
        }
        try {
            // The same test Quarkus applies before routing (see PortunusMain: we switch Quarkus' own off
            // so that this one answers with the envelope instead of a bare 400).
            new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of(malformedUri());
        }
        if (req.path() != null && req.path().indexOf(';') >= 0) {
            // No route takes matrix parameters, and the REST layer decodes a path that has them twice:
            // /v1/users/x;a=b/%25 failed as a 500 in its URI decoder (found by HttpFuzzTest).
            return Optional.of(ApiException.badRequest("malformed_uri",
                    "matrix parameters (';' in the path) are not supported: percent-encode ';' as %3B"));
        }
        if (req.version() != HttpVersion.HTTP_1_0 && (req.authority() == null || req.headers().getAll("Host").size() > 1)) {
            return Optional.of(ApiException.badRequest("invalid_host",
                    "HTTP/1.1 requests need exactly one Host header of the form host[:port]"));
        }
        return BodyLimit.declaredRefusal(req);
    }

    /** The refusal for a request Netty's decoder rejected (client listener: {@code invalidRequestHandler}). */
    public static ApiException decoderRefusal(HttpServerRequest req) {
        DecoderResult result = req.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        if (cause instanceof TooLongHttpLineException) {
            return HttpErrors.forStatus(414);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpErrors.forStatus(431);
        }
        return ApiException.badRequest("malformed_request",
                "the request is not valid HTTP/1.1 (request line, header syntax or Content-Length)");
    }

    private static ApiException malformedUri() {
        return ApiException.badRequest("malformed_uri",
                "the request target is not a valid URI: percent-encode reserved characters and use only %XX escapes "
                        + "with two hex digits");
    }

    private static long headerBytes(HttpServerRequest req) {
        long total = 0;
        for (Map.Entry<String, String> h : req.headers()) {
            total += h.getKey().length() + h.getValue().length() + 4; // ": " and CRLF
        }
        return total;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(RequestGate::gate);
        router.route().order(Integer.MIN_VALUE).failureHandler(RequestGate::failed);
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, RequestGate::failed);
        }
    }

    static void gate(RoutingContext rc) {
        Optional<ApiException> refused = refusal(rc.request());
        if (refused.isPresent()) {
            refuse(rc, refused.get());
        } else {
            rc.next();
        }
    }

    /**
     * Every router-level failure: Vert.x Web fails a request with a missing or bad Host before any
     * handler runs, answers 404/405 when no route matches, and a handler may fail with a status or
     * an exception. The status is kept; the body is the envelope, never the failure's text.
     */
    static void failed(RoutingContext rc) {
        int status = rc.statusCode();
        Throwable failure = rc.failure();
        if (status < 400 && failure instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status < 400) {
            status = 500;
        }
        ApiException error = HttpErrors.forStatus(status);
        if (status == 400) {
            // Vert.x Web's own 400s (Host, empty path) say why in an exception we must not echo.
            error = refusal(rc.request()).orElse(error);
        } else if (status >= 500) {
            LOG.errorf(failure, "request failed below the REST layer with status %d", status);
        }
        refuse(rc, error);
    }

    static void refuse(RoutingContext rc, ApiException error) {
        if (error.status() == 413) {
            BodyLimit.drainAndClose(rc.request());
        }
        HttpErrors.send(rc.response(), error);
    }
}
