package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.ops.StoreAccess;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checked results of the store engine's own PRAGMAs (issue 8, kind 1: no unchecked result). */
class SqliteFileTest {

    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestFiles.tempDir("sqlitefile-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dir);
    }

    @Test
    void aNewStoreIsInWalModeWithIncrementalAutoVacuumAndPrivate() throws Exception {
        Path db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        try (Connection c = SqliteFile.openStore(db); Statement s = c.createStatement()) {
            assertEquals("wal", s.executeQuery("PRAGMA journal_mode").getString(1));
            assertEquals(2, s.executeQuery("PRAGMA auto_vacuum").getInt(1));
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
    }

    @Test
    void aCheckReadsThroughAMemoryMapAndLeavesTheConnectionAsItFoundIt() throws Exception {
        Path db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        try (Connection c = SqliteFile.openStore(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)");
            s.execute("INSERT INTO t (b) VALUES ('x'), ('y')");
            assertEquals(List.of(), SqliteFile.check(c, false));
            assertEquals(List.of(), SqliteFile.check(c, true));
            // The map is the check's alone: the connection's other reads keep SQLite's default (none).
            try (ResultSet rs = s.executeQuery("PRAGMA mmap_size")) {
                assertTrue(rs.next());
                assertEquals(0L, rs.getLong(1));
            }
            // This driver's SQLite honours the size asked for (a build without mmap would answer 0).
            try (ResultSet rs = s.executeQuery("PRAGMA mmap_size=" + SqliteFile.CHECK_MMAP_BYTES)) {
                assertTrue(rs.next());
                assertTrue(rs.getLong(1) > 0, "mmap_size is not honoured: " + rs.getLong(1));
            }
        }
    }

    @Test
    void aCheckpointThatAReaderHoldsBackIsAFailureNotASilentPartialCheckpoint() throws Exception {
        Path db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        try (Connection writer = SqliteFile.openStore(db); Connection reader = SqliteFile.openStore(db);
                Statement w = writer.createStatement(); Statement r = reader.createStatement()) {
            w.execute("CREATE TABLE t (x INTEGER)");
            w.execute("INSERT INTO t VALUES (1)");
            r.execute("BEGIN");
            r.executeQuery("SELECT count(*) FROM t").close(); // holds a read snapshot on the WAL
            w.execute("INSERT INTO t VALUES (2)");
            SQLException busy = assertThrows(SQLException.class, () -> SqliteFile.checkpointFully(writer));
            assertEquals(StoreAccess.SqliteCause.BUSY, StoreAccess.cause(busy));
            r.execute("COMMIT");
            SqliteFile.checkpointFully(writer);
            assertTrue(Files.size(dir.resolve("state.db-wal")) == 0, "TRUNCATE leaves an empty WAL");
        }
    }
}
