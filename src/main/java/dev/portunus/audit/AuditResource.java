package dev.portunus.audit;

import dev.portunus.auth.CallerContext;
import dev.portunus.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /v1/audit}: the legacy bare array, or the envelope when a window or cursor is given. */
@Path("/v1/audit")
public class AuditResource {

    @Inject
    Store store;

    @Inject
    CallerContext context;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("limit") String limit, @QueryParam("outcome") String outcome,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("cursor") String cursor) {
        context.requireSuperadmin();
        AuditQuery.Params p = AuditQuery.parse(limit, outcome, since, until, cursor);
        Object body = p.envelope() ? store.read(h -> AuditQuery.envelope(h, p)) : store.read(h -> AuditQuery.legacy(h, p));
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }
}
