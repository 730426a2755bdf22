package dev.portunus.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.portunus.events.Causes;
import dev.portunus.store.StoreUnavailableException;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

/**
 * The error envelope of 02-api.md "Errors" for answers decided below JAX-RS: the operator router's
 * own checks and failure handlers ({@link RequestGate}) and the client listener, which is a bare
 * Vert.x server. JAX-RS answers go through {@link ApiExceptionMappers}, which takes its codes for
 * HTTP-layer statuses from {@link #forStatus} too, so a 405 reads the same wherever it was decided.
 */
public final class HttpErrors {

    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /**
     * The answer to a failure of request handling, on either listener: our own refusals as they are,
     * a store failure as 503 {@code store_unavailable} (the transaction was rolled back), anything
     * else as 500 {@code internal_error}. The last two are logged here, with no detail in the answer.
     */
    public static ApiException ofFailure(Throwable failure) {
        if (failure instanceof ApiException e) {
            return e;
        }
        if (failure instanceof StoreUnavailableException) {
            LOG.errorf("store operation failed and was rolled back: %s", Causes.rootMessage(failure));
            return new ApiException(503, "store_unavailable", "the store could not complete the operation; it was rolled back");
        }
        LOG.errorf(failure, "unexpected failure");
        return forStatus(500);
    }

    /** {@code {"error":{"code":…,"message":…}}} as JSON text. */
    public static String json(String code, String message) {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        return "{\"error\":{\"code\":\"" + new String(enc.quoteAsString(code)) + "\",\"message\":\""
                + new String(enc.quoteAsString(message)) + "\"}}";
    }

    /**
     * The contract's error for a status that the HTTP layer chose rather than our code (unknown
     * route, wrong method, body limits, …). Statuses without a contract code get {@code http_<status>}.
     */
    public static ApiException forStatus(int status) {
        return switch (status) {
            case 400 -> new ApiException(400, "malformed_request", "the request could not be read");
            case 404 -> new ApiException(404, "not_found", "no such route or resource");
            case 405 -> new ApiException(405, "method_not_allowed", "method not allowed on this route");
            case 406 -> new ApiException(406, "not_acceptable", "this API answers application/json");
            case 413 -> new ApiException(413, "body_too_large", "request bodies are limited to 1 MiB");
            case 414 -> new ApiException(414, "uri_too_long", "request targets are limited to "
                    + RequestGate.MAX_URI / 1024 + " KiB");
            case 415 -> new ApiException(415, "unsupported_media_type", "send Content-Type: application/json");
            case 431 -> new ApiException(431, "headers_too_large", "request headers are limited to "
                    + RequestGate.MAX_HEADERS / 1024 + " KiB in total");
            case 500 -> new ApiException(500, "internal_error", "unexpected server error; see the server log");
            case 503 -> new ApiException(503, "unavailable", "the server cannot answer right now; retry shortly");
            default -> new ApiException(status, "http_" + status, "request refused");
        };
    }

    /**
     * Answers {@code error} unless a response is already under way (then the connection is closed:
     * half a response followed by an envelope would be worse than none).
     */
    public static void send(HttpServerResponse response, ApiException error) {
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.close();
            return;
        }
        response.setStatusCode(error.status()).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(json(error.code(), error.getMessage()));
    }
}
