package dev.portunus.clients;

import dev.portunus.api.Allow;
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
import java.util.List;

/** Superadmin management of enrolled clients, addressed by their stable id. */
@Path("/v1/clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class ClientResource {

    @Inject
    ClientService clients;

    @GET
    public List<ClientJson.View> list() {
        return clients.list();
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
