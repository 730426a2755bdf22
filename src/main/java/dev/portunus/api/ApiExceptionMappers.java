package dev.portunus.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.portunus.events.Causes;
import dev.portunus.store.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.CharConversionException;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of the REST layer leaves the API in the error envelope (02-api.md "Errors"): our
 * own refusals, the HTTP layer's (404 unknown route, 405, 406, 415), strict JSON binding, store
 * failures, and anything unexpected, which is logged here and answered without detail. What fails
 * before the REST layer is answered by {@link RequestGate}.
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
        return api(HttpErrors.ofFailure(e));
    }

    /*
     * Jackson's failures arrive raw (MismatchedInputException and its subtypes) or wrapped in a 400
     * WebApplicationException by the REST layer's reader (parse errors, duplicates, out-of-range
     * numbers); both end in StrictJson.refusal. The subtypes are mapped explicitly so that no
     * built-in mapper of quarkus-rest-jackson for a narrower type wins.
     */

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return api(StrictJson.refusal(e));
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        return api(StrictJson.refusal(e));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return api(StrictJson.refusal(e));
    }

    /** Jackson's UTF-16/32 readers report undecodable bytes this way, outside JsonProcessingException. */
    @ServerExceptionMapper
    public Response undecodable(CharConversionException e) {
        return api(StrictJson.refusal(e));
    }

    /**
     * The body could not be read: the client closed the connection or stopped sending before the
     * declared length (the REST layer's stream says so with an IOException). Nobody will read this
     * answer, so it is no server error worth a stack trace. No resource does I/O of its own; any
     * other IOException would be a bug in that rule. JSON and charset failures have mappers above.
     */
    @ServerExceptionMapper
    public Response unreadable(IOException e) {
        LOG.debugf("request body could not be read: %s", Causes.rootMessage(e));
        return error(400, "malformed_request", "the request body could not be read");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && Causes.find(e, JacksonException.class) != null) {
            return api(StrictJson.refusal(e));
        }
        return api(HttpErrors.forStatus(status));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        return api(HttpErrors.ofFailure(e));
    }

}
