package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Store#writeGrouped}: writes queued behind a running transaction commit together, each
 * caller gets its own outcome only after the commit, and a failure stays with whoever caused it.
 */
class GroupCommitTest {

    private Path dir;
    private Store store;
    private ExecutorService pool;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestFiles.tempDir("group-commit-");
        Path db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        try (Connection c = SqliteFile.openStore(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE child (id INTEGER PRIMARY KEY,"
                    + " parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
        }
        store = new Store(SqliteFile.dataSource(db));
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "a grouped write never returned");
        TestFiles.deleteTree(dir);
    }

    @Test
    void aWriterThatLedItsOwnGroupKeepsNoWakeUpForItsNextPark() {
        store.writeGrouped(h -> insert(h, 1)); // alone: this thread leads and commits its own group
        // With a permit left over, this park would return at once (a park may also return for no
        // reason, which HotSpot on Linux does not do in practice).
        long t0 = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        long parkedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(parkedMillis >= 250, "the park returned after " + parkedMillis + " ms: a wake-up was left over");
    }

    @Test
    void writesQueuedBehindARunningTransactionCommitTogetherInTheNextOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        long before = store.writeTransactions();
        Future<Long> first = runningFirst(release);
        List<Future<Long>> queued = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int id = i;
            queued.add(pool.submit(() -> store.writeGrouped(h -> insert(h, id))));
        }
        awaitQueued(5);
        release.countDown();

        assertEquals(0L, first.get(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, queued.get(i - 1).get(10, TimeUnit.SECONDS), "each caller gets its own work's result");
        }
        assertEquals(2, store.writeTransactions() - before, "the five queued writes shared one transaction");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), ids("t"));
    }

    @Test
    void aGroupedWriteThatThrowsIsRolledBackAloneAndItsCallerGetsWhatItThrew() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = runningFirst(release);
        IllegalStateException refusal = new IllegalStateException("refused by the work");
        Future<Long> before = pool.submit(() -> store.writeGrouped(h -> insert(h, 1)));
        awaitQueued(1);
        Future<Long> failing = pool.submit(() -> store.writeGrouped(h -> {
            insert(h, 2);
            throw refusal;
        }));
        awaitQueued(2);
        Future<Long> failingSql = pool.submit(() -> store.writeGrouped(h -> {
            insert(h, 3);
            return insert(h, 1); // primary key taken by the write queued first
        }));
        awaitQueued(3);
        Future<Long> after = pool.submit(() -> store.writeGrouped(h -> insert(h, 4)));
        awaitQueued(4);
        release.countDown();

        assertEquals(0L, first.get(10, TimeUnit.SECONDS));
        assertEquals(1L, before.get(10, TimeUnit.SECONDS));
        assertSame(refusal, cause(failing));
        Throwable sql = cause(failingSql);
        assertInstanceOf(StoreUnavailableException.class, sql);
        assertInstanceOf(SQLException.class, sql.getCause());
        assertEquals(4L, after.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(0L, 1L, 4L), ids("t"), "rows of the failed writes are gone, the others' stay");
    }

    @Test
    void aCommitThatFailsFailsEveryWriteOfTheGroupAndWritesNone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = runningFirst(release);
        Future<Long> good = pool.submit(() -> store.writeGrouped(h -> insert(h, 1)));
        awaitQueued(1);
        // A deferred foreign key is checked at COMMIT only: the savepoint is released, the commit refused.
        Future<Long> orphan = pool.submit(() -> store.writeGrouped(h -> (long) h.update("INSERT INTO child (id, parent_id) VALUES (1, 99)")));
        awaitQueued(2);
        release.countDown();

        assertEquals(0L, first.get(10, TimeUnit.SECONDS));
        assertInstanceOf(StoreUnavailableException.class, cause(good), "acknowledged only if committed");
        assertInstanceOf(StoreUnavailableException.class, cause(orphan));
        assertEquals(List.of(0L), ids("t"));
        assertEquals(List.of(), ids("child"));
        assertEquals(5L, (long) store.writeGrouped(h -> insert(h, 5)), "the store takes writes again");
    }

    @Test
    void manyCallersMixingGroupedAndPlainWritesEachGetTheirOwnRowAndNoneIsLost() throws Exception {
        int callers = 8;
        int each = 150;
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int caller = t;
            all.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    long id = (long) caller * each + i;
                    long got = caller % 4 == 3 ? store.write(h -> insert(h, id)) : store.writeGrouped(h -> insert(h, id));
                    assertEquals(id, got, "a caller got another's result");
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        List<Long> ids = ids("t");
        assertEquals(callers * each, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, ids.get(i));
        }
    }

    /** A grouped write (row 0) that runs first and keeps its transaction open until {@code release}. */
    private Future<Long> runningFirst(CountDownLatch release) {
        CountDownLatch running = new CountDownLatch(1);
        Future<Long> first = pool.submit(() -> store.writeGrouped(h -> {
            running.countDown();
            await(release);
            return insert(h, 0);
        }));
        await(running);
        return first;
    }

    @Test
    void aGroupedWriteInsideAWriteIsRefusedAndTheStoreStaysUsable() {
        IllegalStateException nested = assertThrows(IllegalStateException.class,
                () -> store.write(h -> {
                    insert(h, 1);
                    return store.writeGrouped(inner -> insert(inner, 2));
                }));
        assertTrue(nested.getMessage().contains("inside a write"), nested.getMessage());
        assertEquals(List.of(), ids("t"), "the outer write rolled back with the refusal it did not catch");
        assertEquals(3L, (long) store.writeGrouped(h -> insert(h, 3)), "the store takes grouped writes again");
    }

    private static long insert(Handle h, long id) throws SQLException {
        h.update("INSERT INTO t (id, v) VALUES (?, ?)", id, "row " + id);
        return id;
    }

    private List<Long> ids(String table) {
        return store.read(h -> h.query("SELECT id FROM " + table + " ORDER BY id", rs -> rs.getLong(1)));
    }

    /** Waits until {@code n} grouped writes are queued behind the running one. */
    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.groupedWaiting() < n) {
            assertTrue(System.nanoTime() < deadline, "grouped writes never queued");
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable cause(Future<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the write succeeded");
    }
}
