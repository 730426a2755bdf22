package dev.portunus.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Checkpoints {@code serve}'s WAL from a thread of its own, every {@link #PERIOD_MILLIS} ms while
 * there are frames to copy, with {@code PRAGMA wal_checkpoint(PASSIVE)}: it neither waits for nor
 * blocks the writer. The pool's connections do not checkpoint on commit ({@link SqliteFile#poolJdbcUrl}),
 * so no request pays for the copy and its fsyncs while holding the write lock. When writes never
 * pause, such a checkpoint never reaches the WAL's end and SQLite never rewinds the WAL; once it holds
 * {@link #REWIND_FRAMES} frames, a round ends with a checkpoint holding the writer's lock (at most
 * one per {@link #REWIND_INTERVAL_NANOS}), which lets the next write rewind it. Each round also syncs
 * the database file beside the writers ({@link #checkpointAndSync}), and a rewind is preceded by one
 * more round, so that the checkpoint holding the lock has little left to copy and sync. Durability is
 * unchanged: a commit is in the WAL either way, and the checkpoint only moves it into the database
 * file. The full checkpoint at shutdown stays with {@link StoreLifecycle}, which stops this first.
 */
@ApplicationScoped
public class WalCheckpointer {

    /** How often the WAL is copied back; at most this much of the WAL's growth waits for a copy. */
    static final long PERIOD_MILLIS = 200;

    /**
     * The WAL's length in frames (since it last rewound) from which a round's checkpoint beside the
     * writers is followed by one holding the writer's lock ({@link Store#checkpointToRewindWal}):
     * SQLite's own default checkpoint threshold. Shorter, it rewinds by itself at a pause in the writes.
     */
    static final int REWIND_FRAMES = 1000;

    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class);

    @Inject
    DataSource dataSource;

    @Inject
    Store store;

    /**
     * The least time between two checkpoints holding the writer's lock. Each stops every write for
     * its copy and its syncs (6-15 ms on the benchmark machine under credential mints; 15-100 ms,
     * growing with the store, before the database file was synced beside the writers); once a second
     * put the p99 of credential mints at 23-27 ms. The WAL's length is bounded by what 5 s of writes
     * that never pause can append (it was unbounded: 3 GB after 35 s of mints).
     */
    static final long REWIND_INTERVAL_NANOS = 5_000_000_000L;

    private long lastRewind = System.nanoTime();
    private volatile boolean stopping;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "portunus-wal-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops before the shutdown checkpoint (lower priorities observe first). */
    void onStop(@Observes @Priority(StoreLifecycle.CHECKPOINT_PRIORITY - 1) ShutdownEvent event) {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The database file, open for {@link #checkpointAndSync} only. Never closed while the process
     * lives: closing any descriptor of a file drops every POSIX lock this process holds on it,
     * SQLite's included, which would let another process write beside this one. The process's exit
     * closes it, after SQLite's connections.
     */
    private FileChannel databaseFile;

    /**
     * {@link Store#writeTransactions} before the checkpoint of the last sync: a round after which
     * nothing was written does not sync again (the WAL's counts cannot tell: they repeat after a rewind).
     */
    private long syncedWrites = -1;
    private long syncs;

    /**
     * One checkpoint beside the writers, then a sync of the database file; returns the WAL's length in
     * frames. SQLite syncs the database file only in a checkpoint that reaches the WAL's end, which
     * here is the one holding the writer's lock: it flushed every page the rounds had copied since
     * the last rewind (5 s of them), and stopped the writes 15-100 ms, longer as the store grew
     * (bench/RESULTS.md, issue 10). Synced here, those pages are on disk before the lock is taken.
     * A sync that fails is reported to SQLite's own descriptors as well, so its checkpoint still
     * fails and keeps the frames in the WAL. An idle store is not synced again.
     */
    private int checkpointAndSync() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long writes = store.writeTransactions();
            SqliteFile.Checkpoint done = SqliteFile.checkpointPassive(c);
            if (done.copiedFrames() > 0 && writes != syncedWrites) {
                if (databaseFile == null) {
                    databaseFile = FileChannel.open(SqliteFile.mainFile(c), StandardOpenOption.READ);
                }
                databaseFile.force(false);
                syncedWrites = writes;
                syncs++;
            }
            return done.walFrames();
        } catch (IOException e) {
            throw new SQLException("syncing the database file after a checkpoint: " + e.getMessage(), e);
        }
    }

    /** One round: a checkpoint and sync beside the writers, then the rewind when it is due. */
    void round() throws SQLException {
        int frames = checkpointAndSync();
        long now = System.nanoTime();
        if (frames >= REWIND_FRAMES && now - lastRewind >= REWIND_INTERVAL_NANOS) {
            lastRewind = now;
            // The round above took tens of ms while the writes went on: copy and sync those too,
            // so that only a few ms of them are left for the checkpoint holding the lock.
            checkpointAndSync();
            store.checkpointToRewindWal();
        }
    }

    /** Syncs of the database file so far. */
    long syncs() {
        return syncs;
    }

    /** Whether the descriptor kept for the syncs is open (it must stay so, see {@link #databaseFile}). */
    boolean databaseFileOpen() {
        return databaseFile != null && databaseFile.isOpen();
    }

    private void run() {
        boolean failing = false;
        while (!stopping) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                round();
                if (failing) {
                    LOG.info("background WAL checkpoints work again");
                    failing = false;
                }
            } catch (SQLException | StoreUnavailableException e) {
                // A full disk or an I/O error: the next round retries, and the WAL keeps every commit
                // meanwhile. Said once per spell, not every round.
                if (!stopping && !failing) {
                    LOG.warnf("background WAL checkpoint failed, retrying every %d ms: %s", PERIOD_MILLIS, e.getMessage());
                    failing = true;
                }
            }
        }
    }
}
