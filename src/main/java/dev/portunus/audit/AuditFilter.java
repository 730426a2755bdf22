package dev.portunus.audit;

import dev.portunus.api.Caller;
import dev.portunus.api.CallerContext;
import dev.portunus.api.ErrorBody;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Produces the audit entries (02-api.md "Audit"): one per mutating {@code /v1} request, allowed or
 * denied, and one per denied request of any method. Runs after the response is decided, so the
 * entry carries the final outcome and error code; only ids, method, path and codes go in.
 */
public class AuditFilter {

    @Inject
    AuditWriter writer;

    @Inject
    CallerContext context;

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") && !path.equals("/v1")) {
            return;
        }
        String method = request.getMethod();
        int status = response.getStatus();
        String reason = response.getEntity() instanceof ErrorBody e ? e.error().code() : null;
        if (!AuditPolicy.audited(method, path, status, reason)) {
            return;
        }
        String correlation = AuditPolicy.correlationId(request.getHeaderString(AuditPolicy.CORRELATION_HEADER));
        response.getHeaders().putSingle(AuditPolicy.CORRELATION_HEADER, correlation);
        Caller caller = context.caller();
        writer.submit(AuditPolicy.entry(caller.id(), caller.role(), method, path, status, reason, correlation));
    }
}
