package dev.portunus.traffic;

import dev.portunus.store.Handle;
import java.sql.SQLException;

/** SQL of {@code traffic_samples_1m} and {@code traffic_samples_1h}: the traffic history (06-traffic.md). */
public final class TrafficRepository {

    private TrafficRepository() {
    }

    /**
     * Bytes in and out within {@code [from, to)}: hourly buckets, plus the minute buckets of hours
     * that have not been rolled up into an hourly bucket yet (so nothing is counted twice).
     */
    public static long[] usage(Handle h, String userId, String clientId, String from, String to) throws SQLException {
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
}
