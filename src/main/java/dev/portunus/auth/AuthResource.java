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
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** {@code /v1/auth}: status, first-run onboarding, password login and logout (02-api.md "Authentication"). */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    AuthService auth;

    @GET
    @Path("status")
    public AuthJson.Status status() {
        return auth.status();
    }

    @POST
    @Path("onboarding")
    public Response onboard(AuthJson.Onboarding body, @Context HttpServerRequest http) {
        return Response.status(201).entity(auth.onboard(body, RemoteAddress.of(http))).build();
    }

    /** 200 {@code {password_change_required}} and the session cookie (HttpOnly, SameSite=Lax, Secure over TLS). */
    @POST
    @Path("login")
    public Response login(AuthJson.Login body, @Context HttpServerRequest http) {
        AuthService.Login login = auth.login(body, RemoteAddress.of(http));
        NewCookie cookie = new NewCookie.Builder(Sessions.COOKIE).value(login.cookieValue()).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).secure(http != null && http.isSSL())
                .maxAge((int) auth.sessionLifetime().toSeconds()).build();
        return Response.ok(new AuthJson.LoggedIn(login.passwordChangeRequired())).cookie(cookie).build();
    }

    @POST
    @Path("logout")
    public Response logout() {
        auth.logout();
        NewCookie gone = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
        return Response.noContent().cookie(gone).build();
    }
}
