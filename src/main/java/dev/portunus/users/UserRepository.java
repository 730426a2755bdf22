package dev.portunus.users;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of the {@code users} table; runs inside the caller's transaction. */
public final class UserRepository {

    private static final String COLUMNS =
            "id, role, display_name, disabled, password_hash, password_change_required, created_at";

    private UserRepository() {
    }

    public static Optional<User> find(Handle h, String id) throws SQLException {
        return h.one("SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::user, id);
    }

    /** The one "does this user exist" of the code base. */
    public static boolean exists(Handle h, String id) throws SQLException {
        return h.count("SELECT count(*) FROM users WHERE id = ?", id) > 0;
    }

    /** Enabled superadmins: while there are none, onboarding is open. */
    public static long countSuperadmins(Handle h) throws SQLException {
        return h.count("SELECT count(*) FROM users WHERE role = 'superadmin' AND disabled = 0");
    }

    /** Every user, by id. */
    public static List<User> list(Handle h) throws SQLException {
        return h.query("SELECT " + COLUMNS + " FROM users ORDER BY id", UserRepository::user);
    }

    public static void insert(Handle h, User u) throws SQLException {
        h.update("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", u.id(), u.role(), u.displayName(),
                u.disabled(), u.passwordHash(), u.passwordChangeRequired(), u.createdAt());
    }

    public static int setPassword(Handle h, String id, String hash, boolean changeRequired) throws SQLException {
        return h.update("UPDATE users SET password_hash = ?, password_change_required = ? WHERE id = ?", hash,
                changeRequired, id);
    }

    /** The user row; its sessions, quotas and envelopes cascade (foreign keys). */
    public static int delete(Handle h, String id) throws SQLException {
        return h.update("DELETE FROM users WHERE id = ?", id);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), rs.getInt(4) == 1, Handle.text(rs, 5),
                rs.getInt(6) == 1, Handle.text(rs, 7));
    }
}
