package dev.portunus.envelopes;

import dev.portunus.api.ApiException;
import dev.portunus.auth.CallerContext;
import dev.portunus.rules.RateLimit;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
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
import java.sql.SQLException;
import java.util.List;

/**
 * Per-owner cap envelopes on a client ({@code rate_limit_owner}), superadmin only. The body of PUT
 * is the same caps object as a rule's {@code rate_limit}, with at least one cap.
 */
@Path("/v1/clients/{client_id}/owners")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnvelopeResource {

    @Inject
    CallerContext callers;

    @Inject
    Store store;

    @GET
    public List<EnvelopeJson.Owner> owners(@PathParam("client_id") String clientId) {
        callers.requireSuperadmin();
        return store.read(h -> {
            requireClient(h, clientId);
            return EnvelopeRepository.owners(h, clientId);
        });
    }

    @GET
    @Path("{owner_id}/rate-limit")
    public EnvelopeJson.View get(@PathParam("client_id") String clientId, @PathParam("owner_id") String ownerId) {
        callers.requireSuperadmin();
        return store.read(h -> EnvelopeRepository.find(h, clientId, ownerId))
                .orElseThrow(() -> ApiException.notFound("rate-limit envelope"));
    }

    @PUT
    @Path("{owner_id}/rate-limit")
    public EnvelopeJson.View put(@PathParam("client_id") String clientId, @PathParam("owner_id") String ownerId, RateLimit body) {
        callers.requireSuperadmin();
        if (body == null || body.isEmpty()) {
            throw ApiException.invalid("rate_limit_empty", "an envelope needs at least one cap (DELETE removes it)");
        }
        RateLimit limit = body.validate("");
        return store.write(h -> {
            requireClient(h, clientId);
            if (h.count("SELECT count(*) FROM users WHERE id = ?", ownerId) == 0) {
                throw ApiException.notFound("user");
            }
            EnvelopeRepository.upsert(h, clientId, ownerId, limit, Timestamps.now());
            return EnvelopeRepository.find(h, clientId, ownerId).orElseThrow();
        });
    }

    @DELETE
    @Path("{owner_id}/rate-limit")
    public Response delete(@PathParam("client_id") String clientId, @PathParam("owner_id") String ownerId) {
        callers.requireSuperadmin();
        int removed = store.write(h -> EnvelopeRepository.delete(h, clientId, ownerId));
        if (removed == 0) {
            throw ApiException.notFound("rate-limit envelope");
        }
        return Response.noContent().build();
    }

    private static void requireClient(Handle h, String clientId) throws SQLException {
        if (h.count("SELECT count(*) FROM client_tokens WHERE id = ?", clientId) == 0) {
            throw ApiException.notFound("client");
        }
    }
}
