package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kept prepared statements: reused with fresh parameters, never pinning a read, bounded, dropped with their connection. */
class StatementsTest {

    private Path dir;
    private Path db;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestFiles.tempDir("statements-");
        db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        try (Connection c = SqliteFile.openStore(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)");
            s.execute("INSERT INTO t (a, b) VALUES (1, 'one'), (2, 'two'), (3, '')");
        }
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dir);
    }

    @Test
    void aKeptStatementIsReusedAndAnswersEachCallWithItsOwnParameters() throws Exception {
        try (Connection c = SqliteFile.openStore(db); Handle h = Handle.reusingStatements(c)) {
            String sql = "SELECT b FROM t WHERE a >= ? ORDER BY a";
            assertEquals(List.of("one", "two", ""), h.query(sql, rs -> Handle.text(rs, 1), 1));
            assertEquals(List.of(""), h.query(sql, rs -> Handle.text(rs, 1), 3));
            assertEquals(List.of(), h.query(sql, rs -> Handle.text(rs, 1), 4));
            assertEquals("two", h.one("SELECT b FROM t WHERE a = ?", rs -> Handle.text(rs, 1), 2).orElseThrow());
            assertEquals(1, h.update("UPDATE t SET b = ? WHERE a = ?", "uno", 1));
            assertEquals(1, h.update("UPDATE t SET b = ? WHERE a = ?", "dos", 2));
            assertEquals(List.of("uno", "dos", ""), h.query(sql, rs -> Handle.text(rs, 1), 1));
        }
    }

    @Test
    void aKeptBatchStatementRunsOnlyEachCallsOwnRows() throws Exception {
        try (Connection c = SqliteFile.openStore(db); Handle h = Handle.reusingStatements(c)) {
            String sql = "INSERT INTO t (a, b) VALUES (?, ?)";
            h.batch(sql, List.of(new Object[] {10, "ten"}, new Object[] {11, "eleven"}));
            h.batch(sql, List.<Object[]>of(new Object[] {12, "twelve"}));
            assertThrows(SQLException.class, () -> h.batch(sql, List.<Object[]>of(new Object[] {13, "x"}, new Object[] {12, "taken"})));
            h.batch(sql, List.<Object[]>of(new Object[] {14, "fourteen"}));
            assertEquals(List.of(10L, 11L, 12L, 14L), h.query("SELECT a FROM t WHERE a >= 10 AND a <> 13 ORDER BY a", rs -> rs.getLong(1)));
        }
    }

    @Test
    void textReadsNullAsNullAndKeepsEveryCharacter() throws Exception {
        try (Connection c = SqliteFile.openStore(db)) {
            Handle h = new Handle(c);
            h.update("INSERT INTO t (a, b) VALUES (?, ?)", 4, "zoë — 日本 \u0000 😀");
            assertEquals("zoë — 日本 \u0000 😀", h.one("SELECT b FROM t WHERE a = 4", rs -> Handle.text(rs, 1)).orElseThrow());
            assertEquals("", h.one("SELECT b FROM t WHERE a = 3", rs -> Handle.text(rs, 1)).orElseThrow());
            assertTrue(h.one("SELECT NULL", rs -> Handle.text(rs, 1)).isEmpty(), "NULL reads as null");
        }
    }

    @Test
    void aKeptStatementHoldsNoReadTransactionOpenSoACheckpointCanEmptyTheWal() throws Exception {
        try (Connection reader = SqliteFile.openStore(db); Handle h = Handle.reusingStatements(reader);
                Connection writer = SqliteFile.openStore(db); Statement w = writer.createStatement()) {
            assertEquals(3, h.query("SELECT a FROM t", rs -> rs.getLong(1)).size());
            assertEquals(1L, h.one("SELECT a FROM t ORDER BY a", rs -> rs.getLong(1)).orElseThrow(), "a query left with rows unread");
            w.execute("INSERT INTO t (a, b) VALUES (10, 'ten')");
            try (ResultSet rs = w.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "busy: a kept statement still holds a read transaction");
            }
        }
    }

    @Test
    void aStatementThatFailedIsForgottenAndPreparedAfresh() throws Exception {
        try (Connection c = SqliteFile.openStore(db)) {
            Statements.PerConnection perConnection = new Statements.PerConnection();
            Statements kept = perConnection.of(c);
            Handle h = Handle.pooled(c, perConnection);
            String insert = "INSERT INTO t (a, b) VALUES (?, ?)";
            PreparedStatement first = kept.get(insert);
            assertThrows(SQLException.class, () -> h.update(insert, 1, "duplicate key"));
            assertTrue(first.isClosed(), "the failed statement is closed");
            assertEquals(1, h.update(insert, 5, "five"));
            assertNotSame(first, kept.get(insert));
        }
    }

    @Test
    void atMostCapacityStatementsAreKeptAndTheLeastRecentlyUsedIsClosed() throws Exception {
        try (Connection c = SqliteFile.openStore(db)) {
            Statements kept = new Statements(c);
            PreparedStatement oldest = kept.get("SELECT 0");
            PreparedStatement used = kept.get("SELECT 1");
            for (int i = 2; i < Statements.CAPACITY; i++) {
                kept.get("SELECT " + i);
            }
            assertSame(used, kept.get("SELECT 1"), "used again: now the most recent");
            kept.get("SELECT " + Statements.CAPACITY);
            assertEquals(Statements.CAPACITY, kept.size());
            assertTrue(oldest.isClosed(), "the least recently used went out");
            assertFalse(used.isClosed());
            kept.close();
            assertTrue(used.isClosed());
            assertEquals(0, kept.size());
        }
    }

    @Test
    void aClosedConnectionsStatementsAreDroppedWhenTheNextConnectionArrives() throws Exception {
        Statements.PerConnection perConnection = new Statements.PerConnection();
        Connection first = SqliteFile.openStore(db);
        Statements firstKept = perConnection.of(first);
        assertSame(firstKept, perConnection.of(first));
        first.close();
        try (Connection second = SqliteFile.openStore(db)) {
            assertNotSame(firstKept, perConnection.of(second));
            assertEquals(1, perConnection.connections());
        }
    }
}
