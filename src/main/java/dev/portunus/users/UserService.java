package dev.portunus.users;

import dev.portunus.api.ApiException;
import dev.portunus.api.Require;
import dev.portunus.auth.Caller;
import dev.portunus.auth.Passwords;
import dev.portunus.auth.Secrets;
import dev.portunus.auth.Sessions;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Pattern;

/** Users and their passwords: the rules behind /v1/users, onboarding and the offline helpers. */
@ApplicationScoped
public class UserService {

    public static final Pattern USER_ID = Pattern.compile("^[a-z][a-z0-9_-]{0,31}$");

    public record Removed(String userId, List<String> removedCredentialIds, List<String> revokedGrantIds,
            List<String> removedRuleIds) {
    }

    public record PasswordReset(String userId, int sessionsRevoked, String temporaryPassword) {
    }

    private final Store store;

    /** {@code serve}'s bean; the offline helpers construct one on their own store. */
    @Inject
    public UserService(Store store) {
        this.store = store;
    }

    public static String validUserId(String id) {
        Require.present(id, "user_id");
        if (!USER_ID.matcher(id).matches()) {
            throw ApiException.invalid("invalid_user_id", "user_id must match ^[a-z][a-z0-9_-]{0,31}$");
        }
        return id;
    }

    public static String validRole(String role) {
        if (!Caller.SUPERADMIN.equals(role) && !Caller.USER.equals(role)) {
            throw ApiException.invalid("invalid_role", "role must be 'superadmin' or 'user'");
        }
        return role;
    }

    public static String validPassword(String password, String field) {
        Require.present(password, field);
        if (password.length() < Passwords.MIN_LENGTH || password.length() > Passwords.MAX_LENGTH) {
            throw ApiException.invalid("weak_password", "field '" + field + "' must be " + Passwords.MIN_LENGTH + ".."
                    + Passwords.MAX_LENGTH + " characters");
        }
        return password;
    }

    /** Creates a user; hashes the password (slow) before taking the write lock. */
    public UserView create(String id, String displayName, String role, String password, boolean changeRequired) {
        validUserId(id);
        Require.text(displayName, "display_name", 200);
        validRole(role);
        String hash = password == null ? null : Passwords.hash(validPassword(password, "initial_password"));
        UserView view = store.write(h -> {
            if (UserRepository.exists(h, id)) {
                throw ApiException.conflict("user '" + id + "' already exists");
            }
            UserRepository.insert(h, new User(id, role, displayName, false, hash, changeRequired, Timestamps.now()));
            return UserRepository.findView(h, id).orElseThrow();
        });
        return view;
    }

    public List<UserView> list() {
        return store.read(UserRepository::listViews);
    }

    public UserView get(String id) {
        return store.read(h -> UserRepository.findView(h, id)).orElseThrow(() -> ApiException.notFound("user"));
    }

    /** One transaction: everything the user owns goes with it, or nothing does. */
    public Removed delete(String id) {
        Removed removed = store.write(h -> {
            User user = UserRepository.find(h, id).orElseThrow(() -> ApiException.notFound("user"));
            if (Caller.SUPERADMIN.equals(user.role()) && UserRepository.countSuperadmins(h) <= 1 && !user.disabled()) {
                throw ApiException.conflict("cannot delete the last superadmin");
            }
            Removed r = new Removed(id, UserRepository.credentialIds(h, id), UserRepository.grantIds(h, id),
                    UserRepository.ruleIds(h, id));
            UserRepository.deleteWithEverything(h, id);
            return r;
        });
        return removed;
    }

    /** Sets a new password (or a generated temporary one) and ends the user's sessions. */
    public PasswordReset resetPassword(String id, String newPassword, boolean temporary) {
        if (temporary == (newPassword != null)) {
            throw ApiException.invalid("invalid_password_reset",
                    "give exactly one of new_password or temporary_password: true");
        }
        String password = temporary ? temporaryPassword() : validPassword(newPassword, "new_password");
        String hash = Passwords.hash(password);
        int revoked = store.write(h -> {
            if (UserRepository.setPassword(h, id, hash, temporary) == 0) {
                throw ApiException.notFound("user");
            }
            return Sessions.revokeAll(h, id);
        });
        return new PasswordReset(id, revoked, temporary ? password : null);
    }

    /** Verifies the current password; wrong → false (the caller counts it for throttling). */
    public boolean changeOwnPassword(String id, String current, String next, String confirm, String keepSessionHash) {
        validPassword(next, "new_password");
        if (!next.equals(confirm)) {
            throw ApiException.invalid("password_mismatch", "new_password and new_password_confirm differ");
        }
        User user = store.read(h -> UserRepository.find(h, id)).orElseThrow(() -> ApiException.notFound("user"));
        if (!Passwords.verify(Require.present(current, "current_password"), user.passwordHash())) {
            return false;
        }
        String hash = Passwords.hash(next);
        store.write(h -> {
            UserRepository.setPassword(h, id, hash, false);
            // Other sessions of this user end; the one that changed the password stays.
            return h.update("UPDATE web_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL "
                    + "AND id_hash IS NOT ?", Timestamps.now(), id, keepSessionHash);
        });
        return true;
    }

    /** 20 characters from the URL-safe alphabet (≈ 120 bits). */
    public static String temporaryPassword() {
        return Secrets.newToken().substring(0, 20);
    }
}
