package dev.portunus.users;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.api.Require;
import dev.portunus.crypto.Passwords;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Users and their passwords: the rules behind {@code /v1/users}, onboarding and the offline helpers
 * ({@code user-add}, {@code reset-password}, which build one on their own store). Validation failures
 * are 422 with a field code; an unknown user is 404; deleting the last enabled superadmin is 409.
 */
@ApplicationScoped
public class UserService {

    public static final Pattern USER_ID = Pattern.compile("^[a-z][a-z0-9_-]{0,31}$");

    private final Store store;
    private final List<UserDeletion> deletions;
    private final List<GrantCounts> grantCounts;

    @Inject
    public UserService(Store store, @All List<UserDeletion> deletions, @All List<GrantCounts> grantCounts) {
        this.store = store;
        this.deletions = deletions;
        this.grantCounts = grantCounts;
    }

    /** For the offline helpers: no other area is loaded, so nothing else takes part. */
    public UserService(Store store) {
        this(store, List.of(), List.of());
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

    /** {@code POST /v1/users}: 201 with the view; the role defaults to {@code user}. */
    public UserJson.View create(UserJson.Create body) {
        Require.body(body);
        return create(body.userId(), body.displayName(), body.role() == null ? Caller.USER : body.role(),
                body.initialPassword(), Boolean.TRUE.equals(body.passwordChangeRequired()));
    }

    /** Creates a user; hashes the password (slow) before taking the write lock. */
    public UserJson.View create(String id, String displayName, String role, String password, boolean changeRequired) {
        validUserId(id);
        Require.text(displayName, "display_name", 200);
        validRole(role);
        String hash = password == null ? null : Passwords.hash(validPassword(password, "initial_password"));
        return store.write(h -> {
            if (UserRepository.exists(h, id)) {
                throw ApiException.conflict("user '" + id + "' already exists");
            }
            User user = new User(id, role, displayName, false, hash, changeRequired, Timestamps.now());
            UserRepository.insert(h, user);
            return view(h, user);
        });
    }

    public List<UserJson.View> list() {
        return store.read(h -> {
            Map<String, Long> counts = counts(h, null);
            return UserRepository.list(h).stream().map(u -> view(u, counts)).toList();
        });
    }

    public UserJson.View get(String id) {
        return store.read(h -> {
            User user = UserRepository.find(h, id).orElseThrow(() -> ApiException.notFound("user"));
            return view(h, user);
        });
    }

    /** One transaction: everything the user owns goes with it, or nothing does. */
    public UserJson.Removed delete(String id) {
        return store.write(h -> {
            User user = UserRepository.find(h, id).orElseThrow(() -> ApiException.notFound("user"));
            if (Caller.SUPERADMIN.equals(user.role()) && UserRepository.countSuperadmins(h) <= 1 && !user.disabled()) {
                throw ApiException.conflict("cannot delete the last superadmin");
            }
            UserDeletion.Removal removed = new UserDeletion.Removal();
            for (UserDeletion d : deletions) {
                d.deleteOwnedBy(h, id, removed);
            }
            UserRepository.delete(h, id);
            return new UserJson.Removed(id, sorted(removed.credentialIds), sorted(removed.grantIds), sorted(removed.ruleIds));
        });
    }

    /** {@code POST /v1/users/{id}/password}. */
    public UserJson.PasswordReset resetPassword(String id, UserJson.ResetPassword body) {
        Require.body(body);
        return resetPassword(id, body.newPassword(), Boolean.TRUE.equals(body.temporaryPassword()));
    }

    /** Sets a new password (or a generated temporary one) and ends the user's sessions. */
    public UserJson.PasswordReset resetPassword(String id, String newPassword, boolean temporary) {
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
            return SessionRepository.revokeAllOf(h, id, null, Timestamps.now());
        });
        return new UserJson.PasswordReset(id, revoked, temporary ? password : null);
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
            return SessionRepository.revokeAllOf(h, id, keepSessionHash, Timestamps.now());
        });
        return true;
    }

    /** 20 characters from the URL-safe alphabet (≈ 120 bits). */
    public static String temporaryPassword() {
        return Secrets.newToken().substring(0, 20);
    }

    private UserJson.View view(Handle h, User user) throws SQLException {
        return view(user, counts(h, user.id()));
    }

    private static UserJson.View view(User u, Map<String, Long> counts) {
        return new UserJson.View(u.id(), u.displayName(), u.role(), u.disabled(), u.createdAt(), counts.getOrDefault(u.id(), 0L));
    }

    private Map<String, Long> counts(Handle h, String userId) throws SQLException {
        for (GrantCounts c : grantCounts) {
            return c.grantCounts(h, userId);
        }
        return Map.of();
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }
}
