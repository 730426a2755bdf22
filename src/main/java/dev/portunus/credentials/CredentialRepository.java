package dev.portunus.credentials;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of the {@code credentials} table. The token hash is written here and only ever compared, never shown. */
public final class CredentialRepository {

    private static final String VIEW = "SELECT id, user_id, label, status, issued_at, revoked_at, last_used_at FROM credentials";

    /** An active credential of an enabled user, as the authentication seam needs it. */
    public record Active(String id, String tokenHash, String userId, String role, String lastUsedAt) {
    }

    private CredentialRepository() {
    }

    /** A new active credential, issued at {@code issuedAt}. */
    public static void insert(Handle h, String id, String userId, String tokenHash, String label, String issuedAt)
            throws SQLException {
        insert(h, new CredentialJson.View(id, userId, label, "active", issuedAt, null, null), tokenHash);
    }

    /**
     * A credential with every column as given, status, revocation and last use included: how
     * {@code import-legacy} carries old credentials over (05-legacy.md §6.3).
     */
    public static void insert(Handle h, CredentialJson.View c, String tokenHash) throws SQLException {
        h.update("INSERT INTO credentials (id, user_id, token_hash, label, status, issued_at, revoked_at, last_used_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.credentialId(), c.userId(), tokenHash, c.label(), c.status(),
                c.issuedAt(), c.revokedAt(), c.lastUsedAt());
    }

    public static List<CredentialJson.View> listForUser(Handle h, String userId) throws SQLException {
        return h.query(VIEW + " WHERE user_id = ? ORDER BY issued_at, id", CredentialRepository::view, userId);
    }

    public static Optional<CredentialJson.View> find(Handle h, String id) throws SQLException {
        return h.one(VIEW + " WHERE id = ?", CredentialRepository::view, id);
    }

    /** Looks a Bearer token up by its hash (unique index); the caller compares the hash again in constant time. */
    public static Optional<Active> findActiveByHash(Handle h, String tokenHash) throws SQLException {
        return h.one("SELECT c.id, c.token_hash, u.id, u.role, c.last_used_at FROM credentials c JOIN users u ON u.id = c.user_id "
                + "WHERE c.token_hash = ? AND c.status = 'active' AND u.disabled = 0",
                rs -> new Active(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), Handle.text(rs, 4), Handle.text(rs, 5)),
                tokenHash);
    }

    public static int revoke(Handle h, String id, String at) throws SQLException {
        return h.update("UPDATE credentials SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active'", at, id);
    }

    public static void touch(Handle h, String id, String now) throws SQLException {
        h.update("UPDATE credentials SET last_used_at = ? WHERE id = ?", now, id);
    }

    /** Ids of a user's credentials, then deletes them (the user is being deleted). */
    public static List<String> deleteForUser(Handle h, String userId) throws SQLException {
        List<String> ids = h.query("SELECT id FROM credentials WHERE user_id = ? ORDER BY id", rs -> Handle.text(rs, 1), userId);
        h.update("DELETE FROM credentials WHERE user_id = ?", userId);
        return ids;
    }

    private static CredentialJson.View view(ResultSet rs) throws SQLException {
        return new CredentialJson.View(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), Handle.text(rs, 4), Handle.text(rs, 5),
                Handle.text(rs, 6), Handle.text(rs, 7));
    }
}
