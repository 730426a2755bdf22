package dev.portunus.quotas;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * {@code /v1/users/{user_id}/quotas}: superadmin only, except that a user may read its own list and
 * status (06-traffic.md §7.4; another user's → 403 before any existence check). The class path is
 * deliberately this specific so that it wins over a {@code /v1/users} resource for these requests.
 */
@Path("/v1/users/{user_id}/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class QuotaResource {

    @Inject
    QuotaService quotas;

    @GET
    @Allow(value = Allow.Who.SELF_OR_SUPERADMIN, self = "user_id")
    public List<QuotaJson.View> list(@PathParam("user_id") String userId) {
        return quotas.listByUser(userId);
    }

    @GET
    @Path("{client_id}")
    public QuotaJson.View get(@PathParam("user_id") String userId, @PathParam("client_id") String clientId) {
        return quotas.get(userId, clientId);
    }

    @PUT
    @Path("{client_id}")
    public QuotaJson.View put(@PathParam("user_id") String userId, @PathParam("client_id") String clientId, QuotaJson.Body body) {
        return quotas.put(userId, clientId, body);
    }

    @PATCH
    @Path("{client_id}")
    public QuotaJson.View patch(@PathParam("user_id") String userId, @PathParam("client_id") String clientId, QuotaJson.Body body) {
        return quotas.patch(userId, clientId, body);
    }

    @DELETE
    @Path("{client_id}")
    public Response delete(@PathParam("user_id") String userId, @PathParam("client_id") String clientId) {
        quotas.delete(userId, clientId);
        return Response.noContent().build();
    }

    @GET
    @Path("{client_id}/status")
    @Allow(value = Allow.Who.SELF_OR_SUPERADMIN, self = "user_id")
    public QuotaJson.Status status(@PathParam("user_id") String userId, @PathParam("client_id") String clientId) {
        return quotas.status(userId, clientId, Instant.now());
    }
}
