package dev.portunus.users;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of the {@code users} table (and the per-user deletes that go with removing a user). */
public final class UserRepository {

    private static final String COLUMNS =
            "id, role, display_name, disabled, password_hash, password_change_required, created_at";
    private static final String VIEW = "SELECT u.id, u.display_name, u.role, u.disabled, u.created_at, "
            + "(SELECT count(*) FROM grants g WHERE g.user_id = u.id) FROM users u";

    private UserRepository() {
    }

    public static Optional<User> find(Handle h, String id) throws SQLException {
        return h.one("SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::user, id);
    }

    public static boolean exists(Handle h, String id) throws SQLException {
        return h.count("SELECT count(*) FROM users WHERE id = ?", id) > 0;
    }

    public static long countSuperadmins(Handle h) throws SQLException {
        return h.count("SELECT count(*) FROM users WHERE role = 'superadmin' AND disabled = 0");
    }

    public static List<UserView> listViews(Handle h) throws SQLException {
        return h.query(VIEW + " ORDER BY u.id", UserRepository::view);
    }

    public static Optional<UserView> findView(Handle h, String id) throws SQLException {
        return h.one(VIEW + " WHERE u.id = ?", UserRepository::view, id);
    }

    public static void insert(Handle h, User u) throws SQLException {
        h.update("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", u.id(), u.role(), u.displayName(),
                u.disabled(), u.passwordHash(), u.passwordChangeRequired(), u.createdAt());
    }

    public static int setPassword(Handle h, String id, String hash, boolean changeRequired) throws SQLException {
        return h.update("UPDATE users SET password_hash = ?, password_change_required = ? WHERE id = ?", hash,
                changeRequired, id);
    }

    /** The ids of what deleting the user takes with it, read before the delete so they can be reported. */
    public static List<String> credentialIds(Handle h, String userId) throws SQLException {
        return h.query("SELECT id FROM credentials WHERE user_id = ? ORDER BY id", rs -> rs.getString(1), userId);
    }

    public static List<String> grantIds(Handle h, String userId) throws SQLException {
        return h.query("SELECT id FROM grants WHERE user_id = ? ORDER BY id", rs -> rs.getString(1), userId);
    }

    public static List<String> ruleIds(Handle h, String userId) throws SQLException {
        return h.query("SELECT id FROM rules WHERE owner_id = ? ORDER BY id", rs -> rs.getString(1), userId);
    }

    /**
     * Removes everything the user owns, table by table, then the user. The foreign keys would
     * cascade anyway; explicit steps keep the order visible and let a failure at any step roll
     * back all of them (the caller's transaction).
     */
    public static void deleteWithEverything(Handle h, String userId) throws SQLException {
        h.update("DELETE FROM credentials WHERE user_id = ?", userId);
        h.update("DELETE FROM web_sessions WHERE user_id = ?", userId);
        h.update("DELETE FROM rules WHERE owner_id = ?", userId);
        h.update("DELETE FROM grants WHERE user_id = ?", userId);
        h.update("DELETE FROM traffic_quotas WHERE user_id = ?", userId);
        h.update("DELETE FROM rate_limit_owner WHERE owner_id = ?", userId);
        h.update("DELETE FROM users WHERE id = ?", userId);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1, rs.getString(5),
                rs.getInt(6) == 1, rs.getString(7));
    }

    private static UserView view(ResultSet rs) throws SQLException {
        return new UserView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1, rs.getString(5),
                rs.getLong(6));
    }
}
