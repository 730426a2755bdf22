package dev.portunus.auth;

import dev.portunus.config.PortunusConfig;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Web sessions of password logins. The cookie carries a random token; {@code web_sessions} keeps
 * only its BLAKE3 hash. A session ends when revoked, after {@code idle} without use, or at its
 * absolute expiry, whichever comes first.
 */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "portunus_session";

    public record Active(String idHash, String userId, String role, boolean passwordChangeRequired, String lastSeenAt) {
    }

    @Inject
    Store store;

    @Inject
    Touches touches;

    @Inject
    PortunusConfig config;

    /** Starts a session and returns the cookie value (shown once, never stored). */
    public String create(Handle h, String userId, String remoteAddr) throws SQLException {
        String token = Secrets.newToken();
        Instant now = Instant.now();
        h.update("INSERT INTO web_sessions (id_hash, user_id, created_at, last_seen_at, absolute_expires_at, remote_addr) "
                + "VALUES (?, ?, ?, ?, ?, ?)", Secrets.blake3Hex(token), userId, Timestamps.format(now),
                Timestamps.format(now), Timestamps.format(now.plus(config.session().absoluteTimeout())), remoteAddr);
        return token;
    }

    public Optional<Active> lookup(String cookieValue) {
        String hash = Secrets.blake3Hex(cookieValue);
        Instant now = Instant.now();
        Optional<Active> found = store.read(h -> h.one(
                "SELECT s.id_hash, u.id, u.role, u.password_change_required, s.last_seen_at FROM web_sessions s "
                        + "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.revoked_at IS NULL "
                        + "AND s.absolute_expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0",
                rs -> new Active(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1, rs.getString(5)),
                hash, Timestamps.format(now), Timestamps.format(now.minus(config.session().idleTimeout()))));
        found.filter(a -> Touches.stale(a.lastSeenAt(), now.toEpochMilli())).ifPresent(a -> touches.sessionSeen(a.idHash()));
        return found;
    }

    public static int revoke(Handle h, String idHash) throws SQLException {
        return h.update("UPDATE web_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL",
                Timestamps.now(), idHash);
    }

    /** Ends every open session of a user (password reset); returns how many were open. */
    public static int revokeAll(Handle h, String userId) throws SQLException {
        return h.update("UPDATE web_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                Timestamps.now(), userId);
    }

    public Duration absolute() {
        return config.session().absoluteTimeout();
    }
}
