package dev.portunus.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Connection connection;

    /** Prepared {@link #update} statements by SQL text, kept for reuse; null when not reusing. */
    private final Map<String, PreparedStatement> reused;

    public Handle(Connection connection) {
        this(connection, null);
    }

    private Handle(Connection connection, Map<String, PreparedStatement> reused) {
        this.connection = connection;
        this.reused = reused;
    }

    /**
     * A handle whose {@link #update} prepares each distinct statement once and reuses it, for writing
     * many rows of the same shapes in one transaction (preparing dominated a bulk insert of 80 000
     * rows). Queries are prepared afresh as usual. Close it when done: that closes the statements.
     */
    public static Handle reusingStatements(Connection connection) {
        return new Handle(connection, new HashMap<>());
    }

    public Connection connection() {
        return connection;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        }
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
        }
    }

    public long count(String sql, Object... params) throws SQLException {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows it changed. */
    public int update(String sql, Object... params) throws SQLException {
        if (reused == null) {
            try (PreparedStatement ps = prepare(sql, params)) {
                return ps.executeUpdate();
            }
        }
        PreparedStatement ps = reused.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            reused.put(sql, ps);
        }
        ps.clearParameters();
        bind(ps, params);
        return ps.executeUpdate();
    }

    /** Closes the statements a {@link #reusingStatements} handle kept; nothing to do otherwise. */
    @Override
    public void close() throws SQLException {
        if (reused == null) {
            return;
        }
        SQLException first = null;
        for (PreparedStatement ps : reused.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        reused.clear();
        if (first != null) {
            throw first;
        }
    }

    /**
     * Runs one INSERT/UPDATE/DELETE once for each parameter row, on one prepared statement: for the
     * writes that touch thousands of rows per transaction (a traffic report of 10 000 rules), where
     * preparing the statement again for each row would cost more than the write itself.
     */
    public void batch(String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            bind(ps, params);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i] instanceof Boolean b ? (b ? 1 : 0) : params[i]);
        }
    }
}
