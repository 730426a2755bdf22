package dev.portunus.quotas;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /v1/clients/{client_id}/quotas}: the quotas on one client (superadmin). Here, not in
 * the clients area, because quotas sit above clients; the more specific class path wins the match.
 */
@Path("/v1/clients/{client_id}/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class ClientQuotasResource {

    @Inject
    QuotaService quotas;

    @GET
    public List<QuotaJson.View> list(@PathParam("client_id") String clientId) {
        return quotas.listByClient(clientId);
    }
}
