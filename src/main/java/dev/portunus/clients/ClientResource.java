package dev.portunus.clients;

import dev.portunus.api.Allow;
import dev.portunus.api.CallerContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Management of enrolled clients, addressed by their stable id: superadmin only, except the list. */
@Path("/v1/clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class ClientResource {

    @Inject
    ClientService clients;

    @Inject
    CallerContext callers;

    /** Any caller: a superadmin sees every client, a user the clients its grants name (06-traffic.md §5.5). */
    @GET
    @Allow(Allow.Who.AUTHENTICATED)
    public List<ClientJson.View> list() {
        return clients.list(callers.caller());
    }

    @GET
    @Path("{client_id}")
    public ClientJson.View get(@PathParam("client_id") String id) {
        return clients.get(id);
    }

    @PATCH
    @Path("{client_id}/name")
    public ClientJson.View rename(@PathParam("client_id") String id, ClientJson.Rename body) {
        return clients.rename(id, body);
    }

    @PUT
    @Path("{client_id}")
    public ClientJson.View setAddress(@PathParam("client_id") String id, ClientJson.AddressUpdate body) {
        return clients.setAddress(id, body);
    }

    /** Re-enrollment (06-traffic.md §5.1): 201 with a new code; redeeming it rotates the client's token. */
    @POST
    @Path("{client_id}/enrollment")
    public Response reenroll(@PathParam("client_id") String id, ClientJson.ReEnrollmentRequest body) {
        return Response.status(201).entity(clients.reenroll(id, body)).build();
    }

    @POST
    @Path("{client_id}/revoke")
    public ClientJson.View revoke(@PathParam("client_id") String id) {
        return clients.revoke(id);
    }

    @DELETE
    @Path("{client_id}")
    public ClientJson.Deleted delete(@PathParam("client_id") String id) {
        return clients.delete(id);
    }
}
