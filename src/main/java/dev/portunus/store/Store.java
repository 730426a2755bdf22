package dev.portunus.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The one transaction helper. Writes run inside {@code BEGIN IMMEDIATE} and are funnelled through
 * one in-process lock: SQLite has a single write lock anyway, and queueing on a Java lock is
 * cheaper and fairer than several pooled connections spinning on SQLITE_BUSY. Reads run in a
 * deferred transaction on any pooled connection; WAL lets them proceed beside the writer.
 *
 * <p>{@link #writeGrouped} is group commit for the hot, self-contained writes (credential mints): the
 * writes that queue while one transaction runs go into the next one together, each inside its own
 * savepoint, and each caller returns only after that transaction's {@code COMMIT}. What a caller is
 * told has been written is on disk exactly as with {@link #write}; the group shares the commit's cost.
 */
@ApplicationScoped
public class Store {

    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle) throws SQLException;
    }

    /** Writes one group commit takes at most: bounds how long the first of them waits for the last. */
    static final int MAX_GROUP = 64;

    private static final long PARK_BACKSTOP_NANOS = 10_000_000;

    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final AtomicLong busyCount = new AtomicLong();
    private final AtomicLong writeTransactions = new AtomicLong();
    private final ConcurrentLinkedQueue<Grouped<?>> grouping = new ConcurrentLinkedQueue<>();
    private final Statements.PerConnection statements = new Statements.PerConnection();

    private final DataSource dataSource;

    /** The pooled datasource of {@code serve}; command mode passes {@link SqliteFile#dataSource}. */
    @Inject
    public Store(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} in its own write transaction ({@code BEGIN IMMEDIATE}), after the writes
     * queued before it. Throws what {@code work} throws (the transaction rolled back), or
     * {@link StoreUnavailableException} when SQLite fails (busy past the timeout, disk full, I/O).
     */
    public <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            return inTransaction("BEGIN IMMEDIATE", work);
        } finally {
            writeTransactions.incrementAndGet();
            unlockWrites();
        }
    }

    /**
     * As {@link #write}, but {@code work} may share its transaction with other grouped writes that
     * queued meanwhile (at most {@link #MAX_GROUP}): each runs inside a savepoint, so one that throws
     * is rolled back alone and its caller gets what it threw; the others commit together, and every
     * caller returns only after that {@code COMMIT}. A failing {@code COMMIT} fails them all with
     * {@link StoreUnavailableException}, none written.
     *
     * <p>{@code work} may run on another caller's thread: it must depend on its arguments and the
     * store only, never on request-scoped state (who the caller is), which it would read from the
     * wrong request. Check such things before calling.
     */
    public <T> T writeGrouped(Work<T> work) {
        if (writeLock.isHeldByCurrentThread()) {
            // Inside a write of its own it would open a second transaction for other callers' writes too.
            throw new IllegalStateException("writeGrouped called inside a write transaction");
        }
        Grouped<T> mine = new Grouped<>(work);
        grouping.add(mine);
        while (!mine.done) {
            // A plain writer queued on the lock (any other mutation, a checkpoint) gets its turn fairly;
            // otherwise whoever finds the lock free leads, and the others sleep until they are done.
            boolean leading = writeLock.hasQueuedThreads() ? lockWaiting() : writeLock.tryLock();
            if (leading) {
                try {
                    if (!mine.done) {
                        commitGroup();
                    }
                } finally {
                    unlockWrites();
                }
            } else if (!mine.done) {
                // Woken when done, or when the lock is let go (unlockWrites); the timeout is only a backstop.
                LockSupport.parkNanos(this, PARK_BACKSTOP_NANOS);
            }
        }
        return mine.result();
    }

    /** Lets go of the write lock and wakes the oldest grouped write still queued, to lead the next group. */
    private void unlockWrites() {
        writeLock.unlock();
        Grouped<?> next = grouping.peek();
        if (next != null) {
            wake(next.caller);
        }
    }

    /**
     * Unparks {@code t} unless it is this thread: a thread running here is not parked, and a permit
     * given to itself would cut short whatever it parks for next (a grouped write's own wait, or any
     * other park of the caller's that does not loop to its deadline).
     */
    private static void wake(Thread t) {
        if (t != Thread.currentThread()) {
            LockSupport.unpark(t);
        }
    }

    private boolean lockWaiting() {
        writeLock.lock();
        return true;
    }

    /** With the write lock held: takes the queued grouped writes and runs them in one transaction. */
    private void commitGroup() {
        List<Grouped<?>> group = new ArrayList<>();
        for (Grouped<?> g; group.size() < MAX_GROUP && (g = grouping.poll()) != null; ) {
            group.add(g);
        }
        try {
            inTransaction("BEGIN IMMEDIATE", h -> {
                for (Grouped<?> g : group) {
                    g.runIn(h);
                }
                return null;
            });
        } catch (RuntimeException e) {
            for (Grouped<?> g : group) {
                g.groupFailed(e);
            }
        } finally {
            writeTransactions.incrementAndGet();
            for (Grouped<?> g : group) {
                g.finish();
            }
        }
    }

    /** One caller's grouped write: its work, and what came of it once {@link #done}. */
    private final class Grouped<T> {
        final Work<T> work;
        final Thread caller = Thread.currentThread();
        volatile boolean done;
        private T result;
        private RuntimeException failure;

        Grouped(Work<T> work) {
            this.work = work;
        }

        /** Runs the work in its own savepoint; a work that throws leaves no trace in the transaction. */
        void runIn(Handle h) throws SQLException {
            h.run("SAVEPOINT grouped");
            try {
                result = work.run(h);
            } catch (SQLException | RuntimeException e) {
                // If SQLite itself ended the transaction (disk full), this throws and fails the group.
                h.run("ROLLBACK TO grouped");
                h.run("RELEASE grouped");
                failure = e instanceof SQLException sql ? unavailable(sql) : (RuntimeException) e;
                return;
            }
            h.run("RELEASE grouped");
        }

        /** The transaction did not commit: whatever this work did is gone with it. */
        void groupFailed(RuntimeException e) {
            if (failure == null) {
                failure = e;
                result = null;
            }
        }

        /** Publishes the outcome (the volatile write orders the fields before it) and wakes the caller. */
        void finish() {
            done = true;
            wake(caller);
        }

        T result() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    public <T> T read(Work<T> work) {
        return inTransaction("BEGIN DEFERRED", work);
    }

    /** Folds the WAL into the database file (shutdown); waits for the writer like any write. */
    public void checkpoint() {
        outsideTransaction(SqliteFile::checkpointFully);
    }

    /**
     * A {@code PASSIVE} checkpoint holding the writer's lock, so that no commit of {@code serve}
     * lands while it runs: it copies the WAL to its end (unless a reader still needs an older
     * snapshot), and the next write then starts the WAL again from its beginning. Beside writes that
     * never pause, a checkpoint that does not hold the lock always ends a few frames short, and SQLite
     * only rewinds a WAL that was copied to its very end: the WAL grew by ~90 MB/s under a credential
     * mint load, and every frame appended past its end cost the kernel a page allocation.
     */
    public void checkpointToRewindWal() {
        outsideTransaction(SqliteFile::checkpointPassive);
    }

    /**
     * Gives free pages back to the filesystem ({@code auto_vacuum=INCREMENTAL}) after bulk deletes,
     * such as the traffic retention; waits for the writer like any write.
     */
    public void incrementalVacuum() {
        outsideTransaction(SqliteFile::incrementalVacuum);
    }

    @FunctionalInterface
    private interface ConnectionWork {
        void run(Connection c) throws SQLException;
    }

    /** Work that must run outside any transaction, holding the writer's lock. */
    private void outsideTransaction(ConnectionWork work) {
        writeLock.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            work.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        } finally {
            unlockWrites();
        }
    }

    /** Write transactions run so far, committed or not (a group commit counts once). */
    public long writeTransactions() {
        return writeTransactions.get();
    }

    /** Grouped writes queued and not yet taken into a transaction. */
    int groupedWaiting() {
        return grouping.size();
    }

    /** How many store operations failed because SQLite stayed busy past the busy timeout. */
    public long busyCount() {
        return busyCount.get();
    }

    private <T> T inTransaction(String begin, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(Handle.pooled(c, statements), begin, work);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private StoreUnavailableException unavailable(SQLException e) {
        if (isBusy(e)) {
            busyCount.incrementAndGet();
        }
        return new StoreUnavailableException(e);
    }

    /**
     * A write transaction ({@code BEGIN IMMEDIATE}) on a connection of the caller's own: for the
     * command-mode writers that work beside a running {@code serve} (prune, backup's bookkeeping).
     */
    public static <T> T writeOn(Connection c, Work<T> work) throws SQLException {
        return inTransaction(c, "BEGIN IMMEDIATE", work);
    }

    /** As {@link #writeOn(Connection, Work)}, with a handle of the caller's (e.g. {@link Handle#reusingStatements}). */
    public static <T> T writeOn(Handle h, Work<T> work) throws SQLException {
        return inTransaction(h, "BEGIN IMMEDIATE", work);
    }

    /**
     * Runs {@code work} in one explicit transaction on {@code c} ({@code "BEGIN IMMEDIATE"} for
     * writes): committed when it returns, rolled back when it throws. The pooled methods above and
     * the command-mode writers (prune, backup's bookkeeping), which hold a connection of their own,
     * all go through here.
     */
    public static <T> T inTransaction(Connection c, String begin, Work<T> work) throws SQLException {
        return inTransaction(new Handle(c), begin, work);
    }

    private static <T> T inTransaction(Handle h, String begin, Work<T> work) throws SQLException {
        h.connection().setAutoCommit(true); // transactions are explicit here, never the driver's
        h.run(begin);
        try {
            T result = work.run(h);
            h.run("COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(h);
            throw e;
        }
    }

    private static void rollbackQuietly(Handle h) {
        try {
            h.run("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite already rolled back (e.g. after SQLITE_FULL); nothing left to undo.
        }
    }

    static boolean isBusy(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED");
    }
}
