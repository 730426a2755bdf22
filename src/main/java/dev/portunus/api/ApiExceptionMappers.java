package dev.portunus.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.portunus.events.Causes;
import dev.portunus.store.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure leaves the API in the error envelope: our own refusals, the HTTP layer's
 * (404 unknown route, 405, 413, 415), strict JSON binding, store failures, and anything
 * unexpected, which is logged here and answered without detail.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    public static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(code, message)).build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return error(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response store(StoreUnavailableException e) {
        LOG.errorf("store operation failed and was rolled back: %s", Causes.rootMessage(e));
        return error(503, "store_unavailable", "the store could not complete the operation; it was rolled back");
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return error(422, "unknown_field", "unknown field '" + e.getPropertyName() + "'");
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (field.isEmpty()) {
            return error(400, "malformed_json", "the request body is not the expected JSON object");
        }
        String code = e instanceof InvalidFormatException ? "invalid_value" : "invalid_type";
        return error(422, code, "field '" + field + "' has the wrong type");
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return error(400, "malformed_json", "the request body is not valid JSON");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> error(404, "not_found", "no such route or resource");
            case 405 -> error(405, "method_not_allowed", "method not allowed on this route");
            case 413 -> error(413, "body_too_large", "request bodies are limited to 1 MiB");
            case 415 -> error(415, "unsupported_media_type", "send Content-Type: application/json");
            case 406 -> error(406, "not_acceptable", "this API answers application/json");
            case 400 -> error(400, "malformed_request", "the request could not be read");
            default -> error(status, "http_" + status, "request refused");
        };
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        LOG.errorf(e, "unexpected failure");
        return error(500, "internal_error", "unexpected server error; see the server log");
    }

}
