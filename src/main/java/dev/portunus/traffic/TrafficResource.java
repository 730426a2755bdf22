package dev.portunus.traffic;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /v1/traffic/global?from=&to=[&bucket=]} (superadmin): the traffic of every user and
 * client (06-traffic.md §1.2). Query, answer and errors: {@link TrafficQuery}, {@link TrafficJson.Series}.
 */
@Path("/v1/traffic")
@Produces(MediaType.APPLICATION_JSON)
public class TrafficResource {

    @Inject
    TrafficService traffic;

    @GET
    @Path("global")
    @Allow(Allow.Who.SUPERADMIN)
    public Response global(@Context UriInfo uri) {
        return noStore(traffic.global(uri.getQueryParameters()));
    }

    /** History answers change every minute: no cache may keep them. */
    static Response noStore(TrafficJson.Series series) {
        return Response.ok(series).header("Cache-Control", "no-store").build();
    }
}
