package dev.portunus.clients;

import dev.portunus.store.Handle;
import dev.portunus.store.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** An enrollment code row joined with its client; {@code advertisedEndpoint} is null on rows made before V2. */
    record Enrollment(String clientId, String clientName, String expiresAt, String consumedAt, String revokedAt,
            String advertisedEndpoint) {
    }

    static void insertPending(Handle h, String id, String name, String address, String now) throws SQLException {
        insert(h, new ClientJson.View(id, name, address, false, now, null, null), null);
    }

    /**
     * A client with every column as given ({@code connected} is not stored); {@code tokenHash} is null
     * until an enrollment is redeemed. {@code import-legacy} carries old, already enrolled clients over
     * with their token hash (05-legacy.md §6.1).
     */
    public static void insert(Handle h, ClientJson.View c, String tokenHash) throws SQLException {
        h.update("INSERT INTO client_tokens (id, display_name, token_hash, address, issued_at, revoked_at, last_seen_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", c.clientId(), c.clientName(), tokenHash, c.address(), c.issuedAt(),
                c.revokedAt(), c.lastSeenAt());
    }

    /** A one-time code for the client, frozen to the endpoint its URI names (06-traffic.md §3). */
    static void insertEnrollment(Handle h, String codeHash, String clientId, String now, String expiresAt,
            String advertisedEndpoint) throws SQLException {
        h.update("INSERT INTO client_enrollments (code_hash, client_id, created_at, expires_at, advertised_endpoint) "
                + "VALUES (?, ?, ?, ?, ?)", codeHash, clientId, now, expiresAt, advertisedEndpoint);
    }

    public static List<ClientJson.View> list(Handle h, Instant now) throws SQLException {
        return h.query(SELECT + " ORDER BY id", rs -> view(rs, now));
    }

    public static Optional<ClientJson.View> find(Handle h, String id, Instant now) throws SQLException {
        return h.one(SELECT + " WHERE id = ?", rs -> view(rs, now), id);
    }

    /** Client id → display name, for views that show a client's name beside its id. */
    public static Map<String, String> names(Handle h) throws SQLException {
        Map<String, String> names = new HashMap<>();
        h.query("SELECT id, display_name FROM client_tokens", rs -> names.put(Handle.text(rs, 1), Handle.text(rs, 2)));
        return names;
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
        voidOpenCodes(h, id, now);
    }

    /** Marks the client's unused codes used, so that none of them can be redeemed any more. */
    static void voidOpenCodes(Handle h, String id, String now) throws SQLException {
        h.update("UPDATE client_enrollments SET consumed_at = ? WHERE client_id = ? AND consumed_at IS NULL", now, id);
    }

    static void delete(Handle h, String id) throws SQLException {
        h.update("DELETE FROM client_tokens WHERE id = ?", id); // rules, codes, envelopes, quotas, samples cascade
    }

    static Optional<Enrollment> enrollment(Handle h, String codeHash) throws SQLException {
        return h.one("SELECT e.client_id, c.display_name, e.expires_at, e.consumed_at, c.revoked_at, e.advertised_endpoint "
                + "FROM client_enrollments e JOIN client_tokens c ON c.id = e.client_id WHERE e.code_hash = ?",
                rs -> new Enrollment(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), Handle.text(rs, 4), Handle.text(rs, 5),
                        Handle.text(rs, 6)), codeHash);
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
                rs -> new Active(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3)), tokenHash);
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
        String lastSeen = Handle.text(rs, "last_seen_at");
        String revokedAt = Handle.text(rs, "revoked_at");
        boolean connected = revokedAt == null && lastSeen != null
                && Instant.parse(lastSeen).isAfter(now.minusSeconds(CONNECTED_WINDOW_SECS));
        return new ClientJson.View(Handle.text(rs, "id"), Handle.text(rs, "display_name"), Handle.text(rs, "address"), connected,
                Handle.text(rs, "issued_at"), revokedAt, lastSeen);
    }
}
