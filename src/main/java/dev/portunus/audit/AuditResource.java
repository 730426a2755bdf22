package dev.portunus.audit;

import dev.portunus.api.Allow;
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
@Allow(Allow.Who.SUPERADMIN)
public class AuditResource {

    @Inject
    AuditService audit;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@Context UriInfo uri) {
        // Raw parameters: an empty value ("limit=") is present and invalid, not absent.
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Object body = audit.list(q.getFirst("limit"), q.getFirst("outcome"), q.getFirst("since"), q.getFirst("until"),
                q.getFirst("cursor"));
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }
}
