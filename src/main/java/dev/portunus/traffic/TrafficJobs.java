package dev.portunus.traffic;

import dev.portunus.config.PortunusConfig;
import dev.portunus.store.StoreLifecycle;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The background work of traffic accounting inside {@code serve} (Quarkus boots for nothing else):
 * the rollup and retention once at start (catch-up, without holding back readiness) and then at
 * HH:01:00 UTC every hour, and the sweep of stale metric series every few seconds. Stopped before
 * the store's final checkpoint; an interrupted rollup is harmless (06-traffic.md §2.3).
 */
@ApplicationScoped
public class TrafficJobs {

    /** Before the WAL checkpoint and the store's close (lower numbers observe first). */
    static final int STOP_PRIORITY = StoreLifecycle.CHECKPOINT_PRIORITY - 2000;
    static final Duration SWEEP_EVERY = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(TrafficJobs.class);

    @Inject
    PortunusConfig config;

    @Inject
    TrafficRollup rollup;

    @Inject
    TrafficMetrics metrics;

    private volatile ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        if (!config.traffic().jobs()) {
            return;
        }
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "portunus-traffic");
            t.setDaemon(true);
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // shutdown drops the next hour's run
        executor = e;
        executor.execute(this::rollupAndReschedule);
        executor.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    private void rollupAndReschedule() {
        rollup.runLogged(Instant.now());
        ScheduledExecutorService e = executor;
        if (e != null && !e.isShutdown()) {
            Instant now = Instant.now();
            e.schedule(this::rollupAndReschedule, Duration.between(now, nextRun(now)).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            metrics.sweep(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("traffic metric sweep failed (retried in %d s): %s", SWEEP_EVERY.toSeconds(), e.getMessage());
        }
    }

    /** The next HH:01:00 UTC strictly after {@code now}. */
    static Instant nextRun(Instant now) {
        Instant run = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(1));
        return run.isAfter(now) ? run : run.plus(Duration.ofHours(1));
    }

    void onStop(@Observes @Priority(STOP_PRIORITY) ShutdownEvent event) {
        ScheduledExecutorService e = executor;
        if (e == null) {
            return;
        }
        rollup.cancel();
        e.shutdown();
        try {
            if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("traffic rollup did not stop within 10 s; interrupting it (the next start continues)");
                e.shutdownNow();
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
