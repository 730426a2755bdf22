package dev.portunus.quotas;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of {@code traffic_quotas} and the usage sums over {@code traffic_samples_1m/1h}. */
public final class QuotaRepository {

    private static final String SELECT = "SELECT user_id, client_id, monthly_bytes, reset_day, action, created_at, updated_at FROM traffic_quotas";

    private QuotaRepository() {
    }

    static Optional<QuotaJson.View> find(Handle h, String userId, String clientId) throws SQLException {
        return h.one(SELECT + " WHERE user_id = ? AND client_id = ?", QuotaRepository::row, userId, clientId);
    }

    static List<QuotaJson.View> byUser(Handle h, String userId) throws SQLException {
        return h.query(SELECT + " WHERE user_id = ? ORDER BY client_id", QuotaRepository::row, userId);
    }

    static List<QuotaJson.View> byClient(Handle h, String clientId) throws SQLException {
        return h.query(SELECT + " WHERE client_id = ? ORDER BY user_id", QuotaRepository::row, clientId);
    }

    static void upsert(Handle h, String userId, String clientId, long bytes, int resetDay, String action, String now)
            throws SQLException {
        h.update("INSERT INTO traffic_quotas (user_id, client_id, monthly_bytes, reset_day, action, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO UPDATE SET "
                + "monthly_bytes = excluded.monthly_bytes, reset_day = excluded.reset_day, action = excluded.action, "
                + "updated_at = excluded.updated_at", userId, clientId, bytes, resetDay, action, now, now);
    }

    static int delete(Handle h, String userId, String clientId) throws SQLException {
        return h.update("DELETE FROM traffic_quotas WHERE user_id = ? AND client_id = ?", userId, clientId);
    }

    /**
     * Bytes in and out within {@code [from, to)}: hourly buckets, plus the minute buckets of hours
     * that have not been rolled up into an hourly bucket yet (so nothing is counted twice).
     */
    static long[] usage(Handle h, String userId, String clientId, String from, String to) throws SQLException {
        return h.one("SELECT coalesce(sum(bytes_in), 0), coalesce(sum(bytes_out), 0) FROM ("
                + " SELECT bytes_in, bytes_out FROM traffic_samples_1h"
                + "  WHERE user_id = ?1 AND client_id = ?2 AND bucket_start >= ?3 AND bucket_start < ?4"
                + " UNION ALL"
                + " SELECT m.bytes_in, m.bytes_out FROM traffic_samples_1m m"
                + "  WHERE m.user_id = ?1 AND m.client_id = ?2 AND m.bucket_start >= ?3 AND m.bucket_start < ?4"
                + "  AND NOT EXISTS (SELECT 1 FROM traffic_samples_1h x WHERE x.user_id = m.user_id"
                + "   AND x.client_id = m.client_id AND x.bucket_start = substr(m.bucket_start, 1, 13) || ':00:00.000Z'))",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, userId, clientId, from, to).orElse(new long[2]);
    }

    static boolean userExists(Handle h, String userId) throws SQLException {
        return h.count("SELECT count(*) FROM users WHERE id = ?", userId) > 0;
    }

    static boolean clientExists(Handle h, String clientId) throws SQLException {
        return h.count("SELECT count(*) FROM client_tokens WHERE id = ?", clientId) > 0;
    }

    private static QuotaJson.View row(ResultSet rs) throws SQLException {
        return new QuotaJson.View(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }
}
