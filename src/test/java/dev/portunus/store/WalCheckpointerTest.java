package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/**
 * {@link WalCheckpointer}'s rounds: a round that copied frames syncs the database file beside the
 * writers, an idle one does not, and the descriptor kept for the syncs is never closed (closing one
 * would drop this process's POSIX locks on the store).
 */
class WalCheckpointerTest {

    private Path dir;
    private Store store;
    private WalCheckpointer checkpointer;
    /** Held open throughout: the last connection to close would checkpoint and remove the WAL. */
    private Connection keepOpen;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestFiles.tempDir("wal-checkpointer-");
        Path db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        keepOpen = SqliteFile.openStore(db);
        SQLiteDataSource pool = new SQLiteDataSource();
        pool.setUrl(SqliteFile.poolJdbcUrl(db)); // as serve's: no checkpoint inside a commit
        store = new Store(pool);
        checkpointer = new WalCheckpointer();
        checkpointer.dataSource = pool;
        checkpointer.store = store;
        store.write(h -> h.update("CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID"));
    }

    @AfterEach
    void tearDown() throws Exception {
        keepOpen.close();
        TestFiles.deleteTree(dir);
    }

    @Test
    void aRoundThatCopiedFramesSyncsTheDatabaseFileAndAnIdleRoundDoesNot() throws Exception {
        insertRows();
        checkpointer.round();
        assertEquals(1, checkpointer.syncs(), "the copied pages were not synced beside the writers");
        checkpointer.round();
        assertEquals(1, checkpointer.syncs(), "an idle store was synced again");
        insertRows();
        checkpointer.round();
        assertEquals(2, checkpointer.syncs());
    }

    @Test
    void theDescriptorKeptForTheSyncsStaysOpenAfterTheCheckpointerStops() throws Exception {
        insertRows();
        checkpointer.round();
        assertTrue(checkpointer.databaseFileOpen());
        checkpointer.onStop(null);
        assertTrue(checkpointer.databaseFileOpen(), "closed: SQLite's POSIX locks on the store would go with it");
    }

    private void insertRows() {
        store.write(h -> h.update("INSERT INTO t (k, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                + "WHERE i < 50) SELECT randomblob(16), randomblob(300) FROM n"));
    }
}
