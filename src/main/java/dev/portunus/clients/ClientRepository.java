package dev.portunus.clients;

import dev.portunus.store.Handle;
import dev.portunus.store.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL of {@code client_tokens} and {@code client_enrollments}; runs inside the caller's transaction. */
public final class ClientRepository {

    /** A client is "connected" when {@code whoami} or a traffic report saw it within this many seconds. */
    static final long CONNECTED_WINDOW_SECS = 60;
    /** How stale last_seen_at may get before it is written again (well inside the connected window). */
    static final long SEEN_RESOLUTION_SECS = 10;

    private static final String SELECT = "SELECT id, display_name, address, issued_at, revoked_at, last_seen_at FROM client_tokens";

    private ClientRepository() {
    }

    /** An enrollment code row joined with its client. */
    record Enrollment(String clientId, String clientName, String expiresAt, String consumedAt, String revokedAt) {
    }

    static void insertPending(Handle h, String id, String name, String address, String now) throws SQLException {
        h.update("INSERT INTO client_tokens (id, display_name, address, issued_at) VALUES (?, ?, ?, ?)", id, name, address, now);
    }

    static void insertEnrollment(Handle h, String codeHash, String clientId, String now, String expiresAt) throws SQLException {
        h.update("INSERT INTO client_enrollments (code_hash, client_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                codeHash, clientId, now, expiresAt);
    }

    public static List<ClientJson.View> list(Handle h, Instant now) throws SQLException {
        return h.query(SELECT + " ORDER BY id", rs -> view(rs, now));
    }

    public static Optional<ClientJson.View> find(Handle h, String id, Instant now) throws SQLException {
        return h.one(SELECT + " WHERE id = ?", rs -> view(rs, now), id);
    }

    /** The one "does this client exist" of the code base (revoked clients exist). */
    public static boolean exists(Handle h, String id) throws SQLException {
        return h.count("SELECT count(*) FROM client_tokens WHERE id = ?", id) > 0;
    }

    static int rename(Handle h, String id, String name) throws SQLException {
        return h.update("UPDATE client_tokens SET display_name = ? WHERE id = ?", name, id);
    }

    static int setAddress(Handle h, String id, String address) throws SQLException {
        return h.update("UPDATE client_tokens SET address = ? WHERE id = ?", address, id);
    }

    /** Revokes the client (keeps the first revocation time) and voids its unused codes. */
    static void revoke(Handle h, String id, String now) throws SQLException {
        h.update("UPDATE client_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", now, id);
        h.update("UPDATE client_enrollments SET consumed_at = ? WHERE client_id = ? AND consumed_at IS NULL", now, id);
    }

    static void delete(Handle h, String id) throws SQLException {
        h.update("DELETE FROM client_tokens WHERE id = ?", id); // rules, codes, envelopes, quotas, samples cascade
    }

    static Optional<Enrollment> enrollment(Handle h, String codeHash) throws SQLException {
        return h.one("SELECT e.client_id, c.display_name, e.expires_at, e.consumed_at, c.revoked_at FROM client_enrollments e "
                + "JOIN client_tokens c ON c.id = e.client_id WHERE e.code_hash = ?",
                rs -> new Enrollment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                codeHash);
    }

    /** Consumes the code and stores the client's token hash; false when someone else consumed it first. */
    static boolean redeem(Handle h, String codeHash, String clientId, String tokenHash, String now) throws SQLException {
        int consumed = h.update("UPDATE client_enrollments SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL", now, codeHash);
        if (consumed == 0) {
            return false;
        }
        h.update("UPDATE client_tokens SET token_hash = ?, issued_at = ? WHERE id = ?", tokenHash, now, clientId);
        return true;
    }

    /** An active (not revoked) client by its token hash, with when it was last seen. */
    public record Active(String clientId, String clientName, String lastSeenAt) {
    }

    /** The client behind a token hash, unless revoked; the lookup of whoami and of traffic reports. */
    public static Optional<Active> active(Handle h, String tokenHash) throws SQLException {
        return h.one("SELECT id, display_name, last_seen_at FROM client_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                rs -> new Active(rs.getString(1), rs.getString(2), rs.getString(3)), tokenHash);
    }

    /**
     * Records that the client was seen at {@code now}, but only when the stored time is older than
     * {@link #SEEN_RESOLUTION_SECS}: a client polling or reporting every few seconds costs no write
     * each time. True when it wrote.
     */
    public static boolean touchSeen(Handle h, Active who, Instant now) throws SQLException {
        if (!seenIsStale(who, now)) {
            return false;
        }
        h.update("UPDATE client_tokens SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL", Timestamps.format(now), who.clientId());
        return true;
    }

    /** True when {@link #touchSeen} would write: never seen, or seen longer ago than the resolution. */
    public static boolean seenIsStale(Active who, Instant now) {
        return who.lastSeenAt() == null || Instant.parse(who.lastSeenAt()).isBefore(now.minusSeconds(SEEN_RESOLUTION_SECS));
    }

    /** Non-revoked clients seen within {@link #CONNECTED_WINDOW_SECS} of {@code now}: {@code connected} of the view, counted. */
    public static long connectedCount(Handle h, Instant now) throws SQLException {
        return h.count("SELECT count(*) FROM client_tokens WHERE revoked_at IS NULL AND last_seen_at > ?",
                Timestamps.format(now.minusSeconds(CONNECTED_WINDOW_SECS)));
    }

    private static ClientJson.View view(ResultSet rs, Instant now) throws SQLException {
        String lastSeen = rs.getString("last_seen_at");
        boolean connected = rs.getString("revoked_at") == null && lastSeen != null
                && Instant.parse(lastSeen).isAfter(now.minusSeconds(CONNECTED_WINDOW_SECS));
        return new ClientJson.View(rs.getString("id"), rs.getString("display_name"), rs.getString("address"), connected,
                rs.getString("issued_at"), rs.getString("revoked_at"), lastSeen);
    }
}
