package dev.portunus.audit;

import dev.portunus.api.Caller;
import dev.portunus.api.CallerContext;
import dev.portunus.api.ErrorBody;
import dev.portunus.store.Timestamps;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Produces the audit entries (02-api.md "Audit"): one per mutating {@code /v1} request, allowed or
 * denied, and one per denied request of any method. Runs after the response is decided, so the
 * entry carries the final outcome and error code; only ids, method, path and codes go in.
 */
public class AuditFilter {

    public static final String CORRELATION_HEADER = "X-Request-Id";

    static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Statuses that mean "denied" whatever the method: authentication, authorization, throttling. */
    static final Set<Integer> DENIALS = Set.of(401, 403, 429);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

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
        if (path.length() > 512) {
            path = path.substring(0, 512);
        }
        String method = request.getMethod();
        int status = response.getStatus();
        String reason = response.getEntity() instanceof ErrorBody e ? e.error().code() : null;
        boolean denied = DENIALS.contains(status) || "bootstrap_required".equals(reason);
        if (!MUTATING.contains(method) && !denied) {
            return;
        }
        String correlation = request.getHeaderString(CORRELATION_HEADER);
        if (correlation == null || !SAFE_ID.matcher(correlation).matches()) {
            correlation = UUID.randomUUID().toString();
        }
        response.getHeaders().putSingle(CORRELATION_HEADER, correlation);
        Caller caller = context.caller();
        writer.submit(new AuditEntry(System.nanoTime(), Timestamps.format(Instant.now()), caller.id(), caller.role(),
                method, path, status < 400 ? "allow" : "deny", status < 400 ? null : reason, correlation));
    }
}
