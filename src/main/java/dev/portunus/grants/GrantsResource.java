package dev.portunus.grants;

import static dev.portunus.api.Allow.Who.SUPERADMIN;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/grants}: what a user may forward (superadmin only). */
@Path("/v1/grants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(SUPERADMIN)
public class GrantsResource {

    @Inject
    GrantService grants;

    @GET
    public List<GrantJson.View> list(@QueryParam("user_id") String userId) {
        return grants.list(userId);
    }

    @POST
    public Response create(GrantJson.Create body) {
        return Response.status(201).entity(grants.create(body)).build();
    }

    @DELETE
    @Path("{id}")
    public GrantJson.Deleted delete(@PathParam("id") String id) {
        return grants.delete(id);
    }
}
