package dev.portunus.audit;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the {@code audit} table: the writer's batched inserts, the keyset pages of the query, the
 * chunked deletes of prune and the time span {@code verify} reports. Pages walk {@code seq}
 * backwards, never OFFSET.
 */
public final class AuditRepository {

    /** Rows per prune transaction: a running serve never waits on more than one chunk. */
    public static final int PRUNE_CHUNK = 5_000;

    static final String INSERT = "INSERT INTO audit (ts, actor, role, method, path, outcome, reason, correlation_id) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String COLUMNS = "SELECT seq, ts, actor, role, method, path, outcome, reason FROM audit";

    /** One page row: its position and its wire view. */
    record Row(long seq, AuditJson.View view) {
    }

    /** Bounds of a page: exclusive upper and inclusive lower seq, the ts window, an outcome filter. */
    record PageQuery(long belowSeq, long fromSeq, String since, String until, String outcome, int fetch) {
    }

    private AuditRepository() {
    }

    /**
     * Inserts a batch in one prepared statement. Each ts is clamped to at least the one before it
     * (starting at {@code lastTs}), so that ts order follows seq order; returns the last ts written.
     */
    static String insertBatch(Handle h, List<AuditEntry> batch, String lastTs) throws SQLException {
        String ts = lastTs;
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (AuditEntry e : batch) {
            ts = e.ts().compareTo(ts) > 0 ? e.ts() : ts;
            rows.add(new Object[] {ts, e.actor(), e.role(), e.method(), e.path(), e.outcome(), e.reason(), e.correlationId()});
        }
        h.batch(INSERT, rows);
        return ts;
    }

    /**
     * Appends one entry written outside {@code serve}'s writer (e.g. the row of {@code import-legacy},
     * in the caller's transaction); its ts is clamped like a batch's so that ts order follows seq order.
     */
    public static void append(Handle h, AuditEntry e) throws SQLException {
        insertBatch(h, List.of(e), latestTs(h).orElse(""));
    }

    static Optional<String> latestTs(Handle h) throws SQLException {
        return h.one("SELECT max(ts) FROM audit", rs -> Handle.text(rs, 1));
    }

    /** The first seq whose ts is at or after {@code ts} (one probe of the ts index), or MAX_VALUE. */
    static long firstSeqAtOrAfter(Handle h, String ts) throws SQLException {
        return h.one("SELECT seq FROM audit WHERE ts >= ? ORDER BY ts, seq LIMIT 1", rs -> rs.getLong(1), ts)
                .orElse(Long.MAX_VALUE);
    }

    /**
     * Newest first inside the bounds. The ts bounds are also applied to each row ({@code +ts} keeps
     * the planner off the ts index for the walk itself), so a row never shows outside its window.
     */
    static List<Row> page(Handle h, PageQuery q) throws SQLException {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (q.outcome() != null) {
            where.append(" AND outcome = ?");
            args.add(q.outcome());
        }
        if (q.belowSeq() != Long.MAX_VALUE) {
            where.append(" AND seq < ?");
            args.add(q.belowSeq());
        }
        if (q.fromSeq() > 0) {
            where.append(" AND seq >= ?");
            args.add(q.fromSeq());
        }
        if (q.since() != null) {
            where.append(" AND +ts >= ?");
            args.add(q.since());
        }
        if (q.until() != null) {
            where.append(" AND +ts < ?");
            args.add(q.until());
        }
        String sql = COLUMNS + (where.length() == 0 ? "" : " WHERE" + where.substring(4)) + " ORDER BY seq DESC LIMIT ?";
        args.add(q.fetch());
        return h.query(sql, AuditRepository::row, args.toArray());
    }

    public static long countOlderThan(Handle h, String ts) throws SQLException {
        return h.count("SELECT count(*) FROM audit WHERE ts < ?", ts);
    }

    /** Deletes up to {@link #PRUNE_CHUNK} of the oldest entries before {@code ts}; returns how many. */
    public static int deleteOlderChunk(Handle h, String ts) throws SQLException {
        return h.update("DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE ts < ? ORDER BY ts LIMIT "
                + PRUNE_CHUNK + ")", ts);
    }

    /** Oldest and newest ts, empty strings absent (no entries). */
    public static Optional<String> oldestTs(Handle h) throws SQLException {
        return h.one("SELECT min(ts) FROM audit", rs -> Handle.text(rs, 1));
    }

    public static Optional<String> newestTs(Handle h) throws SQLException {
        return latestTs(h);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), new AuditJson.View(Handle.text(rs, 2), Handle.text(rs, 3), Handle.text(rs, 4),
                Handle.text(rs, 5), Handle.text(rs, 6), Handle.text(rs, 7), Handle.text(rs, 8)));
    }
}
