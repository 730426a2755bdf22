package dev.portunus.users;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.Optional;

/**
 * SQL of {@code web_sessions}: a user's password logins, kept by their BLAKE3 hash only. The users
 * area owns them because ending a user's sessions is part of changing or resetting a password.
 */
public final class SessionRepository {

    /** A live session with what the authentication seam needs of its user. */
    public record Active(String idHash, String userId, String role, boolean passwordChangeRequired, String lastSeenAt) {
    }

    private SessionRepository() {
    }

    public static void insert(Handle h, String idHash, String userId, String now, String absoluteExpiresAt, String remoteAddr)
            throws SQLException {
        h.update("INSERT INTO web_sessions (id_hash, user_id, created_at, last_seen_at, absolute_expires_at, remote_addr) "
                + "VALUES (?, ?, ?, ?, ?, ?)", idHash, userId, now, now, absoluteExpiresAt, remoteAddr);
    }

    /** The session, if not revoked, not past {@code now} absolutely, seen after {@code idleCutoff}, user enabled. */
    public static Optional<Active> findActive(Handle h, String idHash, String now, String idleCutoff) throws SQLException {
        return h.one("SELECT s.id_hash, u.id, u.role, u.password_change_required, s.last_seen_at FROM web_sessions s "
                + "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.revoked_at IS NULL "
                + "AND s.absolute_expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0",
                rs -> new Active(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), rs.getInt(4) == 1, Handle.text(rs, 5)),
                idHash, now, idleCutoff);
    }

    public static int revoke(Handle h, String idHash, String now) throws SQLException {
        return h.update("UPDATE web_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL", now, idHash);
    }

    /** Ends every open session of a user except {@code keepIdHash} (null: all); returns how many ended. */
    public static int revokeAllOf(Handle h, String userId, String keepIdHash, String now) throws SQLException {
        return h.update("UPDATE web_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id_hash IS NOT ?",
                now, userId, keepIdHash);
    }

    public static void touch(Handle h, String idHash, String now) throws SQLException {
        h.update("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?", now, idHash);
    }
}
