package dev.portunus.credentials;

import static dev.portunus.api.Allow.Who.SELF_OR_SUPERADMIN;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/users/{id}/credentials}: mint and list a user's API credentials (superadmin or the user). */
@Path("/v1/users/{id}/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(value = SELF_OR_SUPERADMIN, self = "id")
public class CredentialsResource {

    @Inject
    CredentialService credentials;

    @POST
    public Response mint(@PathParam("id") String userId, CredentialJson.Mint body) {
        return Response.status(201).entity(credentials.mint(userId, body)).build();
    }

    @GET
    public List<CredentialJson.View> list(@PathParam("id") String userId) {
        return credentials.list(userId);
    }

}
