package dev.portunus.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The one transaction helper. Writes run inside {@code BEGIN IMMEDIATE} and are funnelled through
 * one in-process lock: SQLite has a single write lock anyway, and queueing on a Java lock is
 * cheaper and fairer than several pooled connections spinning on SQLITE_BUSY. Reads run in a
 * deferred transaction on any pooled connection; WAL lets them proceed beside the writer.
 */
@ApplicationScoped
public class Store {

    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle) throws SQLException;
    }

    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final AtomicLong busyCount = new AtomicLong();
    private final Statements.PerConnection statements = new Statements.PerConnection();

    private final DataSource dataSource;

    /** The pooled datasource of {@code serve}; command mode passes {@link SqliteFile#dataSource}. */
    @Inject
    public Store(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            return inTransaction("BEGIN IMMEDIATE", work);
        } finally {
            writeLock.unlock();
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
            writeLock.unlock();
        }
    }

    /** How many store operations failed because SQLite stayed busy past the busy timeout. */
    public long busyCount() {
        return busyCount.get();
    }

    private <T> T inTransaction(String begin, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(Handle.pooled(c, statements), begin, work);
        } catch (SQLException e) {
            if (isBusy(e)) {
                busyCount.incrementAndGet();
            }
            throw new StoreUnavailableException(e);
        }
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
        Connection c = h.connection();
        c.setAutoCommit(true); // transactions are explicit here, never the driver's
        try (Statement s = c.createStatement()) {
            s.execute(begin);
        }
        try {
            T result = work.run(h);
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite already rolled back (e.g. after SQLITE_FULL); nothing left to undo.
        }
    }

    static boolean isBusy(SQLException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED");
    }
}
