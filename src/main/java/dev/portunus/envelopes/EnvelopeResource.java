package dev.portunus.envelopes;

import dev.portunus.api.Allow;
import dev.portunus.rules.RuleJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/clients/{client_id}/owners[/{owner_id}/rate-limit]}: per-owner cap envelopes (superadmin). */
@Path("/v1/clients/{client_id}/owners")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class EnvelopeResource {

    @Inject
    EnvelopeService envelopes;

    @GET
    public List<EnvelopeJson.Owner> owners(@PathParam("client_id") String clientId) {
        return envelopes.owners(clientId);
    }

    @GET
    @Path("{owner_id}/rate-limit")
    public EnvelopeJson.View get(@PathParam("client_id") String clientId, @PathParam("owner_id") String ownerId) {
        return envelopes.get(clientId, ownerId);
    }

    @PUT
    @Path("{owner_id}/rate-limit")
    public EnvelopeJson.View put(@PathParam("client_id") String clientId, @PathParam("owner_id") String ownerId,
            RuleJson.RateLimit body) {
        return envelopes.put(clientId, ownerId, body);
    }

    @DELETE
    @Path("{owner_id}/rate-limit")
    public Response delete(@PathParam("client_id") String clientId, @PathParam("owner_id") String ownerId) {
        envelopes.delete(clientId, ownerId);
        return Response.noContent().build();
    }
}
