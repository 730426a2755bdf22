package dev.portunus.credentials;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of the {@code credentials} table. The token hash is written here and never read back out. */
public final class CredentialRepository {

    private static final String VIEW = "SELECT id, user_id, label, status, issued_at, revoked_at, last_used_at FROM credentials";

    private CredentialRepository() {
    }

    public static void insert(Handle h, String id, String userId, String tokenHash, String label, String issuedAt)
            throws SQLException {
        h.update("INSERT INTO credentials (id, user_id, token_hash, label, issued_at) VALUES (?, ?, ?, ?, ?)", id, userId,
                tokenHash, label, issuedAt);
    }

    public static List<CredentialView> listForUser(Handle h, String userId) throws SQLException {
        return h.query(VIEW + " WHERE user_id = ? ORDER BY issued_at, id", CredentialRepository::view, userId);
    }

    public static Optional<CredentialView> find(Handle h, String id) throws SQLException {
        return h.one(VIEW + " WHERE id = ?", CredentialRepository::view, id);
    }

    public static int revoke(Handle h, String id, String at) throws SQLException {
        return h.update("UPDATE credentials SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active'", at, id);
    }

    private static CredentialView view(ResultSet rs) throws SQLException {
        return new CredentialView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }
}
