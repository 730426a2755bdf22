package dev.portunus.envelopes;

import dev.portunus.rules.RateLimit;
import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of {@code rate_limit_owner}. */
final class EnvelopeRepository {

    private EnvelopeRepository() {
    }

    static Optional<EnvelopeJson.View> find(Handle h, String clientId, String ownerId) throws SQLException {
        return h.one("SELECT client_id, owner_id, " + RateLimit.COLUMNS + ", updated_at FROM rate_limit_owner "
                + "WHERE client_id = ? AND owner_id = ?",
                rs -> new EnvelopeJson.View(rs.getString("client_id"), rs.getString("owner_id"), RateLimit.fromRow(rs),
                        rs.getString("updated_at")), clientId, ownerId);
    }

    static void upsert(Handle h, String clientId, String ownerId, RateLimit limit, String now) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(clientId, ownerId));
        params.addAll(java.util.Arrays.asList(limit.values()));
        params.add(now);
        String updates = String.join(", ", java.util.Arrays.stream(RateLimit.COLUMNS.split(", "))
                .map(c -> c + " = excluded." + c).toList());
        h.update("INSERT INTO rate_limit_owner (client_id, owner_id, " + RateLimit.COLUMNS + ", updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, owner_id) DO UPDATE SET "
                + updates + ", updated_at = excluded.updated_at", params.toArray());
    }

    static int delete(Handle h, String clientId, String ownerId) throws SQLException {
        return h.update("DELETE FROM rate_limit_owner WHERE client_id = ? AND owner_id = ?", clientId, ownerId);
    }

    /** Owners with rules or an envelope on the client, by owner id. */
    static List<EnvelopeJson.Owner> owners(Handle h, String clientId) throws SQLException {
        return h.query("SELECT o.owner_id, (SELECT count(*) FROM rules r WHERE r.client_id = ?1 AND r.owner_id = o.owner_id) AS rule_count, "
                + RateLimit.COLUMNS.replaceAll("(\\w+)", "e.$1") + " FROM ("
                + " SELECT owner_id FROM rules WHERE client_id = ?1 UNION SELECT owner_id FROM rate_limit_owner WHERE client_id = ?1"
                + ") o LEFT JOIN rate_limit_owner e ON e.client_id = ?1 AND e.owner_id = o.owner_id ORDER BY o.owner_id",
                rs -> new EnvelopeJson.Owner(rs.getString("owner_id"), rs.getLong("rule_count"), RateLimit.fromRow(rs)), clientId);
    }
}
