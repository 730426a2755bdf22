package dev.portunus.auth;

import dev.portunus.api.RemoteAddress;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /v1/users/me[/password]}: the caller's own view and password, for any authenticated caller.
 * The class path is more specific than {@code /v1/users}, so it wins the match for these two routes.
 */
@Path("/v1/users/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    AuthService auth;

    @GET
    public AuthJson.Me me() {
        return auth.me();
    }

    @POST
    @Path("password")
    public Response changeOwnPassword(AuthJson.ChangeOwnPassword body, @Context HttpServerRequest http) {
        auth.changeOwnPassword(body, RemoteAddress.of(http));
        return Response.noContent().build();
    }
}
