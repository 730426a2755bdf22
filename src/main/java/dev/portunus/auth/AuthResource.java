package dev.portunus.auth;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.portunus.api.ApiException;
import dev.portunus.api.Require;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.User;
import dev.portunus.users.UserRepository;
import dev.portunus.users.UserService;
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

/** {@code /v1/auth}: status, first-run onboarding, password login and logout. */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    public record Status(boolean onboardingRequired) {
    }

    public record Onboarding(String userId, String displayName, String password, String passwordConfirm,
            String setupToken) {
    }

    @JsonPropertyOrder({"user_id", "display_name", "role"})
    public record Onboarded(String userId, String displayName, String role) {
    }

    public record Login(String userId, String password) {
    }

    public record LoggedIn(boolean passwordChangeRequired) {
    }

    static final String ONBOARDING_SUBJECT = "setup";

    @Inject
    Store store;

    @Inject
    Bootstrap bootstrap;

    @Inject
    Throttle throttle;

    @Inject
    Sessions sessions;

    @Inject
    CallerContext context;

    @GET
    @Path("status")
    public Status status() {
        return new Status(bootstrap.onboardingOpen());
    }

    @POST
    @Path("onboarding")
    public Response onboard(Onboarding body, @Context HttpServerRequest http) {
        Require.body(body);
        String addr = RemoteAddress.of(http);
        throttle.check(ONBOARDING_SUBJECT, addr, Throttle.Action.ONBOARDING);
        UserService.validUserId(body.userId());
        Require.text(body.displayName(), "display_name", 200);
        UserService.validPassword(body.password(), "password");
        if (!body.password().equals(body.passwordConfirm())) {
            throw ApiException.invalid("password_mismatch", "password and password_confirm differ");
        }
        Require.present(body.setupToken(), "setup_token");
        String hash = Passwords.hash(body.password());
        boolean accepted = store.write(h -> {
            if (UserRepository.countSuperadmins(h) > 0) {
                throw ApiException.conflict("onboarding is already complete");
            }
            if (!Bootstrap.setupTokenValid(h, body.setupToken())) {
                return false;
            }
            if (UserRepository.exists(h, body.userId())) {
                throw ApiException.conflict("user '" + body.userId() + "' already exists");
            }
            UserRepository.insert(h, new User(body.userId(), Caller.SUPERADMIN, body.displayName(), false, hash, false,
                    Timestamps.now()));
            h.update("DELETE FROM onboarding_setup");
            return true;
        });
        if (!accepted) {
            throttle.failed(ONBOARDING_SUBJECT, addr, Throttle.Action.ONBOARDING);
            throw ApiException.forbidden("invalid_setup_token", "the setup token is wrong or expired; restart serve for a new one");
        }
        throttle.succeeded(ONBOARDING_SUBJECT, addr, Throttle.Action.ONBOARDING);
        bootstrap.usersChanged();
        context.set(new Caller(body.userId(), Caller.SUPERADMIN, Caller.Kind.ANONYMOUS));
        return Response.status(201).entity(new Onboarded(body.userId(), body.displayName(), Caller.SUPERADMIN)).build();
    }

    @POST
    @Path("login")
    public Response login(Login body, @Context HttpServerRequest http) {
        Require.body(body);
        String userId = Require.present(body.userId(), "user_id");
        Require.present(body.password(), "password");
        String addr = RemoteAddress.of(http);
        throttle.check(userId, addr, Throttle.Action.LOGIN);
        User user = store.read(h -> UserRepository.find(h, userId)).orElse(null);
        boolean ok = user != null && !user.disabled() && Passwords.verify(body.password(), user.passwordHash());
        if (user == null) {
            Passwords.burn(body.password());
        }
        if (!ok) {
            throttle.failed(userId, addr, Throttle.Action.LOGIN);
            throw new ApiException(401, "invalid_credentials", "user id or password is wrong");
        }
        throttle.succeeded(userId, addr, Throttle.Action.LOGIN);
        String token = store.write(h -> sessions.create(h, userId, addr));
        context.set(new Caller(user.id(), user.role(), Caller.Kind.ANONYMOUS));
        NewCookie cookie = new NewCookie.Builder(Sessions.COOKIE).value(token).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).secure(http != null && http.isSSL())
                .maxAge((int) sessions.absolute().toSeconds()).build();
        return Response.ok(new LoggedIn(user.passwordChangeRequired())).cookie(cookie).build();
    }

    @POST
    @Path("logout")
    public Response logout() {
        String hash = context.sessionHash();
        if (hash == null) {
            throw ApiException.forbidden("not_a_session", "logout ends a web session; Bearer credentials are revoked instead");
        }
        store.write(h -> Sessions.revoke(h, hash));
        NewCookie gone = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
        return Response.noContent().cookie(gone).build();
    }
}
