package dev.portunus.traffic;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /v1/clients/{client_id}/traffic?from=&to=[&bucket=][&user_id=]} (superadmin; 06-traffic.md
 * §1.4). Here, not in the clients area, because traffic sits above clients; the more specific class
 * path wins the match over {@code /v1/clients}.
 */
@Path("/v1/clients/{client_id}/traffic")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class ClientTrafficResource {

    @Inject
    TrafficService traffic;

    @GET
    public Response get(@PathParam("client_id") String clientId, @Context UriInfo uri) {
        return TrafficResource.noStore(traffic.ofClient(clientId, uri.getQueryParameters()));
    }
}
