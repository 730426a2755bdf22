package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Store#checkpointToRewindWal}: it waits for the write in flight and copies the WAL to its
 * very end, the one state from which SQLite starts the WAL again at the next write. And
 * {@link WalCheckpointer}'s rounds beside the writers: a round that copied frames syncs the database
 * file, an idle one does not, and the descriptor kept for the syncs is never closed (closing one
 * would drop this process's POSIX locks on the store).
 */
class WalRewindTest {

    private Path dir;
    private Path db;
    private Store store;
    /** Held open throughout: the last connection to close would checkpoint and remove the WAL. */
    private java.sql.Connection keepOpen;
    private org.sqlite.SQLiteDataSource pool;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestFiles.tempDir("wal-rewind-");
        db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        keepOpen = SqliteFile.openStore(db);
        pool = new org.sqlite.SQLiteDataSource();
        pool.setUrl(SqliteFile.poolJdbcUrl(db)); // as serve's: no checkpoint inside a commit
        store = new Store(pool);
        store.write(h -> h.update("CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID"));
        for (int i = 0; i < 20; i++) {
            insertRows();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        keepOpen.close();
        TestFiles.deleteTree(dir);
    }

    @Test
    void itWaitsForTheWriteInFlightThenCopiesTheWalToItsEndAndTheNextWriteRewindsIt() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> store.write(h -> {
            h.update("INSERT INTO t (k, v) VALUES (randomblob(16), randomblob(300))");
            inFlight.countDown();
            awaitQuietly(release);
            return null;
        }));
        writer.start();
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));
        Thread checkpoint = new Thread(store::checkpointToRewindWal);
        checkpoint.start();
        checkpoint.join(300);
        assertTrue(checkpoint.isAlive(), "the checkpoint ran beside a write transaction");
        release.countDown();
        writer.join(10_000);
        checkpoint.join(10_000);
        assertFalse(checkpoint.isAlive());

        int[] after = walState();
        assertTrue(after[0] > 100, "the writes went to the WAL: " + after[0] + " frames");
        assertEquals(after[0], after[1], "every frame, the write in flight's too, is in the database file");
        store.write(h -> h.update("INSERT INTO t (k, v) VALUES (randomblob(16), randomblob(300))"));
        // Appended, the WAL would be longer than before; started again, it holds only this write's
        // frames (up to ~10 when its random key splits pages) and none of them is copied yet.
        int[] next = walState();
        assertTrue(next[0] < after[0] && next[1] == 0,
                "the next write did not start the WAL again from its beginning: " + next[0] + " frames, "
                        + next[1] + " copied, against " + after[0] + " before it");
    }

    @Test
    void aRoundThatCopiedFramesSyncsTheDatabaseFileAndAnIdleRoundDoesNot() throws Exception {
        WalCheckpointer checkpointer = checkpointer();
        checkpointer.round();
        assertEquals(1, checkpointer.syncs(), "the copied pages were not synced beside the writers");
        checkpointer.round();
        assertEquals(1, checkpointer.syncs(), "an idle store was synced again");
        insertRows();
        checkpointer.round();
        assertEquals(2, checkpointer.syncs(), "a round after a rewind of the WAL did not sync");
    }

    @Test
    void theDescriptorKeptForTheSyncsStaysOpenAfterTheCheckpointerStops() throws Exception {
        WalCheckpointer checkpointer = checkpointer();
        checkpointer.round();
        assertTrue(checkpointer.databaseFileOpen());
        checkpointer.onStop(null);
        assertTrue(checkpointer.databaseFileOpen(), "closed: SQLite's POSIX locks on the store would go with it");
    }

    private WalCheckpointer checkpointer() {
        WalCheckpointer checkpointer = new WalCheckpointer();
        checkpointer.dataSource = pool;
        checkpointer.store = store;
        return checkpointer;
    }

    private void insertRows() {
        store.write(h -> h.update("INSERT INTO t (k, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                + "WHERE i < 20) SELECT randomblob(16), randomblob(300) FROM n"));
    }

    /**
     * The WAL's length and how much of it is copied, in frames ({@code mxFrame}, {@code nBackfill}),
     * read from the wal-index file without checkpointing anything (sqlite.org/walformat.html: both
     * are native-order u32s, at offsets 16 and 96 of {@code state.db-shm}).
     */
    private int[] walState() throws Exception {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(Path.of(db + "-shm")), 0, 128)
                .order(java.nio.ByteOrder.nativeOrder());
        return new int[] {head.getInt(16), head.getInt(96)};
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
