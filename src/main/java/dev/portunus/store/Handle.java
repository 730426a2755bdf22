package dev.portunus.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connection inside one transaction, with the few JDBC shapes the repositories need. Plain SQL
 * stays in the repository that owns the table; this class only binds parameters and maps rows.
 */
public final class Handle implements AutoCloseable {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final Object[] NO_PARAMS = {};

    private final Connection connection;

    /** Statements kept for reuse, by SQL text; null when each statement is prepared afresh. */
    private final Statements kept;

    /** Whether {@link #close} closes {@link #kept}: a pooled connection's statements outlive the handle. */
    private final boolean ownsKept;

    /** A handle that prepares each statement afresh (command mode, one-off work). */
    public Handle(Connection connection) {
        this(connection, null, false);
    }

    private Handle(Connection connection, Statements kept, boolean ownsKept) {
        this.connection = connection;
        this.kept = kept;
        this.ownsKept = ownsKept;
    }

    /**
     * A handle that prepares each distinct statement once and reuses it, for writing many rows of
     * the same shapes in one transaction (preparing dominated a bulk insert of 80 000 rows). Close it
     * when done: that closes the statements.
     */
    public static Handle reusingStatements(Connection connection) {
        return new Handle(connection, new Statements(connection), true);
    }

    /** A handle on a pooled connection of {@code serve}, reusing that connection's kept statements. */
    static Handle pooled(Connection connection, Statements.PerConnection statements) throws SQLException {
        return new Handle(connection, statements.of(connection), false);
    }

    public Connection connection() {
        return connection;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        return execute(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        return execute(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.<T>empty();
            }
        });
    }

    /**
     * A TEXT column as a String (null for NULL), read as its UTF-8 bytes. This driver's
     * {@code getString} hands each value over in a direct ByteBuffer made by a JNI up-call into Java,
     * which was a fifth of the server's CPU for an audit page; a byte array costs no up-call.
     */
    public static String text(ResultSet rs, int column) throws SQLException {
        byte[] utf8 = rs.getBytes(column);
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    /** As {@link #text(ResultSet, int)}, by column label. */
    public static String text(ResultSet rs, String column) throws SQLException {
        return text(rs, rs.findColumn(column));
    }

    public long count(String sql, Object... params) throws SQLException {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows it changed. */
    public int update(String sql, Object... params) throws SQLException {
        return execute(sql, params, PreparedStatement::executeUpdate);
    }

    /**
     * Runs a statement with neither parameters nor rows: transaction control ({@code BEGIN IMMEDIATE},
     * {@code COMMIT}, {@code SAVEPOINT}). On a pooled handle it is kept like any other, so a write
     * transaction does not plan its {@code BEGIN} and {@code COMMIT} afresh each time.
     */
    public void run(String sql) throws SQLException {
        execute(sql, NO_PARAMS, PreparedStatement::execute);
    }

    /** Closes the statements of a {@link #reusingStatements} handle; nothing to do otherwise. */
    @Override
    public void close() throws SQLException {
        if (ownsKept) {
            kept.close();
        }
    }

    /**
     * Runs one INSERT/UPDATE/DELETE once for each parameter row, on one prepared statement (a kept
     * one on a pooled handle): for the writes that touch many rows per transaction (a traffic report
     * of 10 000 rules, a batch of audit entries), where preparing the statement again for each row
     * would cost more than the write itself.
     */
    public void batch(String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        execute(sql, NO_PARAMS, ps -> {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        });
    }

    @FunctionalInterface
    private interface Execution<R> {
        R run(PreparedStatement ps) throws SQLException;
    }

    /**
     * Binds {@code params} and runs {@code execution} on a kept statement (reset and its parameters
     * cleared, not closed, when it returns; evicted when it throws), or on one prepared for this call
     * and closed after it. Kept statements are keyed by SQL text, so SQL whose text depends on the
     * data (an IN list per value) must not come here: it would fill the cache with one-off shapes.
     */
    private <R> R execute(String sql, Object[] params, Execution<R> execution) throws SQLException {
        if (kept == null) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                bind(ps, params);
                return execution.run(ps);
            }
        }
        try {
            PreparedStatement ps = kept.get(sql);
            bind(ps, params);
            R result = execution.run(ps);
            // A kept statement would otherwise hold its last values (token hashes among them) until reused.
            ps.clearParameters();
            return result;
        } catch (SQLException | RuntimeException e) {
            kept.evict(sql);
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i] instanceof Boolean b ? (b ? 1 : 0) : params[i]);
        }
    }
}
