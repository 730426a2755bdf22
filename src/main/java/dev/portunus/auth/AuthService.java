package dev.portunus.auth;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.api.CallerContext;
import dev.portunus.api.Require;
import dev.portunus.crypto.Passwords;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.User;
import dev.portunus.users.UserRepository;
import dev.portunus.users.UserService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who the caller is and how they get in: first-run onboarding (with the setup token), password
 * login and logout, and the caller's own view and password. Failures are throttled per (subject,
 * remote address, action); wrong credentials are 401/403 with a code, never a hint which part was wrong.
 */
@ApplicationScoped
public class AuthService {

    static final String ONBOARDING_SUBJECT = "setup";

    /** A logged-in session: the cookie value to set and whether a password change comes first. */
    public record Login(String cookieValue, boolean passwordChangeRequired) {
    }

    @Inject
    Store store;

    @Inject
    Bootstrap bootstrap;

    @Inject
    Throttle throttle;

    @Inject
    Sessions sessions;

    @Inject
    UserService users;

    @Inject
    CallerContext context;

    public AuthJson.Status status() {
        return new AuthJson.Status(bootstrap.onboardingOpen());
    }

    /** The first superadmin, with the setup token; 201 without a cookie. */
    public AuthJson.Onboarded onboard(AuthJson.Onboarding body, String remoteAddr) {
        Require.body(body);
        throttle.check(ONBOARDING_SUBJECT, remoteAddr, Throttle.Action.ONBOARDING);
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
            OnboardingRepository.clear(h);
            return true;
        });
        if (!accepted) {
            throttle.failed(ONBOARDING_SUBJECT, remoteAddr, Throttle.Action.ONBOARDING);
            throw ApiException.forbidden("invalid_setup_token", "the setup token is wrong or expired; restart serve for a new one");
        }
        throttle.succeeded(ONBOARDING_SUBJECT, remoteAddr, Throttle.Action.ONBOARDING);
        context.set(new Caller(body.userId(), Caller.SUPERADMIN, Caller.Kind.ANONYMOUS));
        return new AuthJson.Onboarded(body.userId(), body.displayName(), Caller.SUPERADMIN);
    }

    /** Checks the password (the same time whether or not the user exists) and starts a session. */
    public Login login(AuthJson.Login body, String remoteAddr) {
        Require.body(body);
        String userId = Require.present(body.userId(), "user_id");
        Require.present(body.password(), "password");
        throttle.check(userId, remoteAddr, Throttle.Action.LOGIN);
        User user = store.read(h -> UserRepository.find(h, userId)).orElse(null);
        boolean ok = user != null && !user.disabled() && Passwords.verify(body.password(), user.passwordHash());
        if (user == null) {
            Passwords.burn(body.password());
        }
        if (!ok) {
            throttle.failed(userId, remoteAddr, Throttle.Action.LOGIN);
            throw new ApiException(401, "invalid_credentials", "user id or password is wrong");
        }
        throttle.succeeded(userId, remoteAddr, Throttle.Action.LOGIN);
        String token = store.write(h -> sessions.create(h, userId, remoteAddr));
        context.set(new Caller(user.id(), user.role(), Caller.Kind.ANONYMOUS));
        return new Login(token, user.passwordChangeRequired());
    }

    /** Ends the caller's web session; Bearer callers revoke credentials instead (403). */
    public void logout() {
        String hash = context.sessionHash();
        if (hash == null) {
            throw ApiException.forbidden("not_a_session", "logout ends a web session; Bearer credentials are revoked instead");
        }
        store.write(h -> dev.portunus.users.SessionRepository.revoke(h, hash, Timestamps.now()));
    }

    public AuthJson.Me me() {
        Caller caller = context.caller();
        if (caller.kind() == Caller.Kind.OPERATOR_TOKEN) {
            return new AuthJson.Me(caller.id(), caller.role(), "operator token");
        }
        var v = users.get(caller.id());
        return new AuthJson.Me(v.userId(), v.role(), v.displayName());
    }

    /** The caller's own password change: the current one must be right (throttled), other sessions end. */
    public void changeOwnPassword(AuthJson.ChangeOwnPassword body, String remoteAddr) {
        Require.body(body);
        Caller caller = context.caller();
        if (caller.kind() == Caller.Kind.OPERATOR_TOKEN) {
            throw ApiException.forbidden("forbidden", "the operator token has no password; it is set in server.toml");
        }
        throttle.check(caller.id(), remoteAddr, Throttle.Action.PASSWORD_RESET);
        if (!users.changeOwnPassword(caller.id(), body.currentPassword(), body.newPassword(), body.newPasswordConfirm(),
                context.sessionHash())) {
            throttle.failed(caller.id(), remoteAddr, Throttle.Action.PASSWORD_RESET);
            throw ApiException.forbidden("invalid_current_password", "current_password is not correct");
        }
        throttle.succeeded(caller.id(), remoteAddr, Throttle.Action.PASSWORD_RESET);
    }

    public java.time.Duration sessionLifetime() {
        return sessions.absolute();
    }
}
