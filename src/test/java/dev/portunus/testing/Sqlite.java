package dev.portunus.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain JDBC on a store or artefact, for fabricating test stores and reading them back. */
public final class Sqlite {

    private Sqlite() {
    }

    public static Connection open(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath() + "?busy_timeout=5000");
    }

    public static void exec(Path db, String... statements) {
        try (Connection c = open(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long scalar(Path db, String sql) {
        return query(db, sql, rs -> rs.getLong(1));
    }

    public static String text(Path db, String sql) {
        return query(db, sql, rs -> rs.getString(1));
    }

    /**
     * Every row of {@code sql}, each as its columns' text joined by {@code |} (SQL NULL as {@code null}):
     * whole tables compare as one list.
     */
    public static java.util.List<String> rows(Path db, String sql) {
        try (Connection c = open(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(row.toString());
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T query(Path db, String sql, dev.portunus.store.Handle.RowMapper<T> first) {
        try (Connection c = open(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return first.map(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts {@code n} audit rows with timestamps one second apart starting at {@code startIso}. */
    public static void insertAudit(Path db, int n, String startIso) {
        exec(db, "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < " + (n - 1) + ") "
                + "INSERT INTO audit (ts, actor, role, method, path, outcome, reason, correlation_id, details_json) "
                + "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '" + startIso + "', '+' || i || ' seconds'), "
                + "'alice', 'user', 'POST', '/v1/grants', CASE WHEN i % 3 = 0 THEN 'deny' ELSE 'allow' END, "
                + "NULL, hex(randomblob(8)), '{\"pad\":\"' || hex(randomblob(32)) || '\"}' FROM k");
    }
}
