package dev.portunus.users;

import static dev.portunus.api.Allow.Who.SELF_OR_SUPERADMIN;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/users} (02-api.md "Routes"); the caller's own routes ({@code /v1/users/me}) are the auth area's. */
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    UserService users;

    @GET
    @Allow(SUPERADMIN)
    public List<UserJson.View> list() {
        return users.list();
    }

    @POST
    @Allow(SUPERADMIN)
    public Response create(UserJson.Create body) {
        return Response.status(201).entity(users.create(body)).build();
    }

    @GET
    @Path("{id}")
    @Allow(value = SELF_OR_SUPERADMIN, self = "id")
    public UserJson.View get(@PathParam("id") String id) {
        return users.get(id);
    }

    @DELETE
    @Path("{id}")
    @Allow(SUPERADMIN)
    public UserJson.Removed delete(@PathParam("id") String id) {
        return users.delete(id);
    }

    @POST
    @Path("{id}/password")
    @Allow(SUPERADMIN)
    public UserJson.PasswordReset resetPassword(@PathParam("id") String id, UserJson.ResetPassword body) {
        return users.resetPassword(id, body);
    }
}
