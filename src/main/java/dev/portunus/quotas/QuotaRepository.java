package dev.portunus.quotas;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of {@code traffic_quotas}; runs inside the caller's transaction. */
public final class QuotaRepository {

    private static final String SELECT = "SELECT user_id, client_id, monthly_bytes, reset_day, action, created_at, updated_at, "
            + "usage_cleared_at FROM traffic_quotas";

    private QuotaRepository() {
    }

    /** A stored quota; {@code usageClearedAt} is null when its usage was never cleared. */
    record Row(String userId, String clientId, long monthlyBytes, int resetDay, String action, String createdAt,
            String updatedAt, String usageClearedAt) {
    }

    static Optional<Row> find(Handle h, String userId, String clientId) throws SQLException {
        return h.one(SELECT + " WHERE user_id = ? AND client_id = ?", QuotaRepository::row, userId, clientId);
    }

    static List<Row> byUser(Handle h, String userId) throws SQLException {
        return h.query(SELECT + " WHERE user_id = ? ORDER BY client_id", QuotaRepository::row, userId);
    }

    static List<Row> byClient(Handle h, String clientId) throws SQLException {
        return h.query(SELECT + " WHERE client_id = ? ORDER BY user_id", QuotaRepository::row, clientId);
    }

    static void upsert(Handle h, String userId, String clientId, long bytes, int resetDay, String action, String now)
            throws SQLException {
        h.update("INSERT INTO traffic_quotas (user_id, client_id, monthly_bytes, reset_day, action, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO UPDATE SET "
                + "monthly_bytes = excluded.monthly_bytes, reset_day = excluded.reset_day, action = excluded.action, "
                + "updated_at = excluded.updated_at", userId, clientId, bytes, resetDay, action, now, now);
    }

    /** Records a "clear usage" at {@code now} (06-traffic.md §5.7). */
    static void clearUsage(Handle h, String userId, String clientId, String now) throws SQLException {
        h.update("UPDATE traffic_quotas SET usage_cleared_at = ?1, updated_at = ?1 WHERE user_id = ?2 AND client_id = ?3",
                now, userId, clientId);
    }

    static int delete(Handle h, String userId, String clientId) throws SQLException {
        return h.update("DELETE FROM traffic_quotas WHERE user_id = ? AND client_id = ?", userId, clientId);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(Handle.text(rs, 1), Handle.text(rs, 2), rs.getLong(3), rs.getInt(4), Handle.text(rs, 5), Handle.text(rs, 6),
                Handle.text(rs, 7), Handle.text(rs, 8));
    }
}
