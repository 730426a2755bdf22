package dev.portunus.audit;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.api.CallerContext;
import dev.portunus.api.ErrorBody;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
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
    AuditTicket ticket;

    @Inject
    CallerContext context;

    /**
     * Before anything else runs: a mutating request gets its audit slot or is refused (503
     * {@code audit_backlog}, nothing done), so its effect can never outrun its entry.
     */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
    public void admit(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (audited(path) && AuditPolicy.needsSlotBeforeEffect(request.getMethod(), path) && !ticket.take()) {
            throw writer.refusedForBacklog();
        }
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!audited(path)) {
            return;
        }
        String method = request.getMethod();
        int status = response.getStatus();
        String reason = response.getEntity() instanceof ErrorBody e ? e.error().code() : null;
        if (!AuditPolicy.audited(method, path, status, reason)) {
            return;
        }
        // A denial of a reading request reserves its slot only now; if none comes free in time the
        // answer becomes 503 audit_backlog, never a denial without its entry.
        if (!ticket.held() && !ticket.take()) {
            ApiException backlog = writer.refusedForBacklog();
            response.setStatus(backlog.status());
            response.setEntity(ErrorBody.of(backlog.code(), backlog.getMessage()), null, MediaType.APPLICATION_JSON_TYPE);
            return;
        }
        String correlation = AuditPolicy.correlationId(request.getHeaderString(AuditPolicy.CORRELATION_HEADER));
        response.getHeaders().putSingle(AuditPolicy.CORRELATION_HEADER, correlation);
        Caller caller = context.caller();
        ticket.use(AuditPolicy.entry(caller.id(), caller.role(), method, path, status, reason, correlation));
    }

    private static boolean audited(String path) {
        return path.startsWith("/v1/") || path.equals("/v1");
    }
}
