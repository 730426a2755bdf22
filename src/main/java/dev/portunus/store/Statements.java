package dev.portunus.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection's prepared statements by SQL text, least recently used first out, at most
 * {@link #CAPACITY}. Preparing was a tenth of the server's CPU for a 100-row audit page (three
 * statements planned afresh per request). Not thread-safe: it belongs to whoever holds the
 * connection, as the connection does. A statement is only ever left reset (its result set closed),
 * so a kept statement holds no read transaction open and cannot pin the WAL.
 */
final class Statements {

    /** Distinct statements kept per connection; the audit page alone has up to 32 shapes. */
    static final int CAPACITY = 64;

    private final Connection connection;
    private final Map<String, PreparedStatement> bySql = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    Statements(Connection connection) {
        this.connection = connection;
    }

    /** The kept statement for {@code sql}, prepared on first use. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = bySql.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            bySql.put(sql, ps);
        }
        return ps;
    }

    /** Forgets and closes the statement for {@code sql}: after it failed, it is not trusted again. */
    void evict(String sql) {
        PreparedStatement ps = bySql.remove(sql);
        if (ps != null) {
            closeQuietly(ps);
        }
    }

    int size() {
        return bySql.size();
    }

    /** Closes every kept statement; throws the first failure after trying them all. */
    void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : bySql.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        bySql.clear();
        if (first != null) {
            throw first;
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // Closing only finalizes the statement; nothing of the store depends on it.
        }
    }

    /**
     * The statements of each physical connection of {@code serve}'s pool. They are prepared on the
     * driver's own connection, not the pool's wrapper: the pool closes what was prepared through its
     * wrapper when the connection goes back. The driver finalizes a connection's statements when
     * the pool closes it for good, and such connections are dropped here the next time a new one
     * is seen.
     */
    static final class PerConnection {

        private final Map<Connection, Statements> byConnection = new ConcurrentHashMap<>();

        /** The statements of the physical connection behind the pooled {@code pooled}. */
        Statements of(Connection pooled) throws SQLException {
            Connection physical = pooled.unwrap(Connection.class);
            Statements s = byConnection.get(physical);
            if (s == null) {
                byConnection.keySet().removeIf(PerConnection::isClosed);
                s = new Statements(physical);
                byConnection.put(physical, s);
            }
            return s;
        }

        int connections() {
            return byConnection.size();
        }

        private static boolean isClosed(Connection c) {
            try {
                return c.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }
    }
}
