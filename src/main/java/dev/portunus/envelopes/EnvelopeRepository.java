package dev.portunus.envelopes;

import dev.portunus.rules.RuleJson;
import dev.portunus.rules.RuleRepository;
import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL of {@code rate_limit_owner}; the cap columns are named like a rule's ({@link RuleRepository#CAP_COLUMNS}). */
final class EnvelopeRepository {

    private static final String SELECT = "SELECT client_id, owner_id, " + RuleRepository.CAP_COLUMNS
            + ", updated_at FROM rate_limit_owner";

    private EnvelopeRepository() {
    }

    static Optional<EnvelopeJson.View> find(Handle h, String clientId, String ownerId) throws SQLException {
        return h.one(SELECT + " WHERE client_id = ? AND owner_id = ?", EnvelopeRepository::view, clientId, ownerId);
    }

    /** Every envelope on a client, by owner id. */
    static List<EnvelopeJson.View> onClient(Handle h, String clientId) throws SQLException {
        return h.query(SELECT + " WHERE client_id = ? ORDER BY owner_id", EnvelopeRepository::view, clientId);
    }

    static void upsert(Handle h, String clientId, String ownerId, RuleJson.RateLimit limit, String now) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(clientId, ownerId));
        params.addAll(Arrays.asList(RuleRepository.capValues(limit)));
        params.add(now);
        String updates = String.join(", ", Arrays.stream(RuleRepository.CAP_COLUMNS.split(", "))
                .map(c -> c + " = excluded." + c).toList());
        h.update("INSERT INTO rate_limit_owner (client_id, owner_id, " + RuleRepository.CAP_COLUMNS + ", updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, owner_id) DO UPDATE SET "
                + updates + ", updated_at = excluded.updated_at", params.toArray());
    }

    static int delete(Handle h, String clientId, String ownerId) throws SQLException {
        return h.update("DELETE FROM rate_limit_owner WHERE client_id = ? AND owner_id = ?", clientId, ownerId);
    }

    private static EnvelopeJson.View view(java.sql.ResultSet rs) throws SQLException {
        return new EnvelopeJson.View(Handle.text(rs, "client_id"), Handle.text(rs, "owner_id"), RuleRepository.readCaps(rs),
                Handle.text(rs, "updated_at"));
    }
}
