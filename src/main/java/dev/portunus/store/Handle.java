package dev.portunus.store;

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
public final class Handle {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;

    public Handle(Connection connection) {
        this.connection = connection;
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
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
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
