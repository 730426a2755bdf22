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
 * so no request pays for the copy and its fsyncs while holding the write lock. Durability is
 * unchanged: a commit is in the WAL either way, and the checkpoint only moves it into the database
 * file. The full checkpoint at shutdown stays with {@link StoreLifecycle}, which stops this first.
 */
@ApplicationScoped
public class WalCheckpointer {

    /** How often the WAL is copied back; at most this much of the WAL's growth waits for a copy. */
    static final long PERIOD_MILLIS = 200;

    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class);

    @Inject
    DataSource dataSource;

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
            try (Connection c = dataSource.getConnection()) {
                SqliteFile.checkpointPassive(c);
                if (failing) {
                    LOG.info("background WAL checkpoints work again");
                    failing = false;
                }
            } catch (SQLException e) {
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
