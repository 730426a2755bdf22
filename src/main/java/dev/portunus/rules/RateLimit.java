package dev.portunus.rules;

import dev.portunus.api.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Cap columns shared by rules and per-owner envelopes: every cap is optional and {@code > 0};
 * a burst needs its rate and lies in {@code [rate, 4 × rate]}.
 */
public record RateLimit(
        Long bandwidthInBps,
        Long bandwidthOutBps,
        Long newConnectionsPerSec,
        Long concurrentConnections,
        Long bandwidthInBurst,
        Long bandwidthOutBurst,
        Long newConnectionsBurst) {

    /** Column names in the order of the record components (same names in rules and rate_limit_owner). */
    public static final String COLUMNS = "bandwidth_in_bps, bandwidth_out_bps, new_connections_per_sec, "
            + "concurrent_connections, bandwidth_in_burst, bandwidth_out_burst, new_connections_burst";

    public static final String ASSIGNMENTS = "bandwidth_in_bps = ?, bandwidth_out_bps = ?, new_connections_per_sec = ?, "
            + "concurrent_connections = ?, bandwidth_in_burst = ?, bandwidth_out_burst = ?, new_connections_burst = ?";

    public static final RateLimit NONE = new RateLimit(null, null, null, null, null, null, null);

    /** Throws 422 with a field code when a cap or burst is out of bounds. */
    public RateLimit validate(String prefix) {
        positive(prefix, "bandwidth_in_bps", bandwidthInBps);
        positive(prefix, "bandwidth_out_bps", bandwidthOutBps);
        positive(prefix, "new_connections_per_sec", newConnectionsPerSec);
        positive(prefix, "concurrent_connections", concurrentConnections);
        burst(prefix, "bandwidth_in_burst", bandwidthInBurst, "bandwidth_in_bps", bandwidthInBps);
        burst(prefix, "bandwidth_out_burst", bandwidthOutBurst, "bandwidth_out_bps", bandwidthOutBps);
        burst(prefix, "new_connections_burst", newConnectionsBurst, "new_connections_per_sec", newConnectionsPerSec);
        return this;
    }

    public boolean isEmpty() {
        return this.equals(NONE);
    }

    /** The values to bind to {@link #COLUMNS} / {@link #ASSIGNMENTS}. */
    public Object[] values() {
        return new Object[] {bandwidthInBps, bandwidthOutBps, newConnectionsPerSec, concurrentConnections,
            bandwidthInBurst, bandwidthOutBurst, newConnectionsBurst};
    }

    /** Reads {@link #COLUMNS} from a row; null when no cap is set. */
    public static RateLimit fromRow(ResultSet rs) throws SQLException {
        RateLimit r = new RateLimit(longOrNull(rs, "bandwidth_in_bps"), longOrNull(rs, "bandwidth_out_bps"),
                longOrNull(rs, "new_connections_per_sec"), longOrNull(rs, "concurrent_connections"),
                longOrNull(rs, "bandwidth_in_burst"), longOrNull(rs, "bandwidth_out_burst"),
                longOrNull(rs, "new_connections_burst"));
        return r.isEmpty() ? null : r;
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void positive(String prefix, String field, Long value) {
        if (value != null && value <= 0) {
            throw ApiException.invalid("invalid_rate_limit", prefix + field + " must be greater than 0");
        }
    }

    private static void burst(String prefix, String field, Long burst, String rateField, Long rate) {
        if (burst == null) {
            return;
        }
        positive(prefix, field, burst);
        if (rate == null) {
            throw ApiException.invalid("burst_without_rate", prefix + field + " needs " + prefix + rateField);
        }
        boolean aboveFourTimes = rate <= Long.MAX_VALUE / 4 && burst > 4 * rate;
        if (burst < rate || aboveFourTimes) {
            throw ApiException.invalid("burst_out_of_range",
                    prefix + field + " must lie between " + prefix + rateField + " and 4 times it");
        }
    }
}
