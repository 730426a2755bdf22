package dev.portunus.users;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.portunus.api.ApiException;
import dev.portunus.api.Require;
import dev.portunus.auth.Caller;
import dev.portunus.auth.CallerContext;
import dev.portunus.auth.RemoteAddress;
import dev.portunus.auth.Throttle;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UsersResource {

    public record CreateUser(String userId, String displayName, String role, String initialPassword,
            Boolean passwordChangeRequired) {
    }

    public record ChangeOwnPassword(String currentPassword, String newPassword, String newPasswordConfirm) {
    }

    public record ResetPassword(String newPassword, Boolean temporaryPassword) {
    }

    @JsonPropertyOrder({"user_id", "role", "display_name"})
    public record Me(String userId, String role, String displayName) {
    }

    @JsonPropertyOrder({"user_id", "sessions_revoked", "temporary_password"})
    public record PasswordResetView(String userId, int sessionsRevoked, String temporaryPassword) {
    }

    @Inject
    UserService users;

    @Inject
    CallerContext context;

    @Inject
    Throttle throttle;

    @GET
    @Path("me")
    public Me me() {
        Caller caller = context.caller();
        if (caller.kind() == Caller.Kind.OPERATOR_TOKEN) {
            return new Me(caller.id(), caller.role(), "operator token");
        }
        UserView v = users.get(caller.id());
        return new Me(v.userId(), v.role(), v.displayName());
    }

    @POST
    @Path("me/password")
    public Response changeOwnPassword(ChangeOwnPassword body, @Context HttpServerRequest http) {
        Require.body(body);
        Caller caller = context.caller();
        if (caller.kind() == Caller.Kind.OPERATOR_TOKEN) {
            throw ApiException.forbidden("forbidden", "the operator token has no password; it is set in server.toml");
        }
        String addr = RemoteAddress.of(http);
        throttle.check(caller.id(), addr, Throttle.Action.PASSWORD_RESET);
        if (!users.changeOwnPassword(caller.id(), body.currentPassword(), body.newPassword(), body.newPasswordConfirm(),
                context.sessionHash())) {
            throttle.failed(caller.id(), addr, Throttle.Action.PASSWORD_RESET);
            throw ApiException.forbidden("invalid_current_password", "current_password is not correct");
        }
        throttle.succeeded(caller.id(), addr, Throttle.Action.PASSWORD_RESET);
        return Response.noContent().build();
    }

    @GET
    public List<UserView> list() {
        context.requireSuperadmin();
        return users.list();
    }

    @POST
    public Response create(CreateUser body) {
        context.requireSuperadmin();
        Require.body(body);
        UserView v = users.create(body.userId(), body.displayName(), body.role() == null ? Caller.USER : body.role(),
                body.initialPassword(), Boolean.TRUE.equals(body.passwordChangeRequired()));
        return Response.status(201).entity(v).build();
    }

    @GET
    @Path("{id}")
    public UserView get(@PathParam("id") String id) {
        context.requireSelfOrSuperadmin(id);
        return users.get(id);
    }

    @DELETE
    @Path("{id}")
    public UserService.Removed delete(@PathParam("id") String id) {
        context.requireSuperadmin();
        return users.delete(id);
    }

    @POST
    @Path("{id}/password")
    public PasswordResetView resetPassword(@PathParam("id") String id, ResetPassword body) {
        context.requireSuperadmin();
        Require.body(body);
        UserService.PasswordReset r = users.resetPassword(id, body.newPassword(), Boolean.TRUE.equals(body.temporaryPassword()));
        return new PasswordResetView(r.userId(), r.sessionsRevoked(), r.temporaryPassword());
    }
}
