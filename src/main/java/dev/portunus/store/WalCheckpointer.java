package dev.portunus.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
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
 * {@link #REWIND_FRAMES} frames, a round ends with a second checkpoint holding the writer's lock (at
 * most one per {@link #REWIND_INTERVAL_NANOS}), which lets the next write rewind it. Durability is
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
     * its copy and two fsyncs (20-50 ms on the benchmark machine); once a second put the p99 of
     * credential mints at 23-27 ms, once in 5 s left it at 9 ms. The WAL's length is bounded by what
     * 5 s of writes that never pause can append (it was unbounded: 3 GB after 35 s of mints).
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

    private void run() {
        boolean failing = false;
        while (!stopping) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                int frames;
                try (Connection c = dataSource.getConnection()) {
                    frames = SqliteFile.checkpointPassive(c);
                }
                long now = System.nanoTime();
                if (frames >= REWIND_FRAMES && now - lastRewind >= REWIND_INTERVAL_NANOS) {
                    lastRewind = now;
                    store.checkpointToRewindWal();
                }
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
