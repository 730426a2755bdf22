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
 * {@code GET /v1/users/{user_id}/traffic?from=&to=[&bucket=][&client_id=]} (a superadmin or the user
 * itself; 06-traffic.md §1.3). The role check comes before the existence check, so another user
 * learns nothing about ids. The class path is this specific so that it wins over {@code /v1/users}.
 */
@Path("/v1/users/{user_id}/traffic")
@Produces(MediaType.APPLICATION_JSON)
@Allow(value = Allow.Who.SELF_OR_SUPERADMIN, self = "user_id")
public class UserTrafficResource {

    @Inject
    TrafficService traffic;

    @GET
    public Response get(@PathParam("user_id") String userId, @Context UriInfo uri) {
        return TrafficResource.noStore(traffic.ofUser(userId, uri.getQueryParameters()));
    }
}
