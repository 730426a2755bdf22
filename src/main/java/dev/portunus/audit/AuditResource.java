package dev.portunus.audit;

import dev.portunus.auth.CallerContext;
import dev.portunus.store.Store;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code GET /v1/audit}: the legacy bare array, or the envelope when a window or cursor is given. */
@Path("/v1/audit")
public class AuditResource {

    @Inject
    Store store;

    @Inject
    CallerContext context;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@Context UriInfo uri) {
        context.requireSuperadmin();
        // Raw parameters: an empty value ("limit=") is present and invalid, not absent.
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        AuditQuery.Params p = AuditQuery.parse(q.getFirst("limit"), q.getFirst("outcome"), q.getFirst("since"),
                q.getFirst("until"), q.getFirst("cursor"));
        Object body = p.envelope() ? store.read(h -> AuditQuery.envelope(h, p)) : store.read(h -> AuditQuery.legacy(h, p));
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }
}
