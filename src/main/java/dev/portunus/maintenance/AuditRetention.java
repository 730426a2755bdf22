package dev.portunus.maintenance;

import dev.portunus.audit.AuditWriter;
import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.ops.AuditPrune;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code audit_retention} (07-scheduled-backups.md §3): shortly after start (on its own thread, so the
 * pass may finish after {@code serve.ready}) and then hourly, removes the audit entries older than
 * {@code now - retention} with the code of {@code audit prune --before} ({@link AuditPrune#prune(AuditPrune.Writer, Instant)}):
 * chunks of 5 000 rows, each one {@code BEGIN IMMEDIATE} through the pooled store and its writer lock,
 * so request writes and the audit writer get their turn between chunks; then {@code incremental_vacuum}.
 * One {@code audit.retention_pruned count=N before=…} per pass that removed anything.
 */
@ApplicationScoped
public class AuditRetention {

    static final Duration PERIOD = Duration.ofHours(1);

    @Inject
    PortunusConfig config;

    @Inject
    Store store;

    @Inject
    BackupMetrics metrics;

    private ScheduledExecutorService timer;
    private volatile boolean stopping;

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (config.settings().auditRetention().isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(BackupSchedule.daemon("portunus-audit-retention"));
        timer.scheduleWithFixedDelay(this::pass, config.backup().retentionStartDelay().toMillis(), PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One pass; returns the number of entries removed. */
    long pass() {
        Instant cutoff = Instant.now().minus(config.settings().auditRetention().orElseThrow());
        try {
            long n = AuditPrune.prune(new AuditPrune.Writer() {
                @Override
                public int chunk(Store.Work<Integer> work) {
                    if (stopping) {
                        throw new CancellationException("serve is stopping");
                    }
                    return store.write(work);
                }

                @Override
                public void vacuum() {
                    store.write(h -> {
                        SqliteFile.incrementalVacuum(h.connection());
                        return null;
                    });
                }
            }, cutoff);
            if (n > 0) {
                metrics.retentionPruned(n);
                Event.of(EventName.AUDIT_RETENTION_PRUNED).with("count", n).with("before", Timestamps.format(cutoff)).info();
            }
            return n;
        } catch (SQLException | RuntimeException e) {
            if (!stopping) {
                Event.of(EventName.AUDIT_RETENTION_FAILED).with("before", Timestamps.format(cutoff))
                        .with("reason", Causes.rootMessage(e))
                        .hint("entries up to the last finished chunk were removed; the next pass retries in an hour").warn();
            }
            return 0;
        }
    }

    /** Before the audit drain: a pass stops after its current chunk. */
    void onStop(@Observes @Priority(AuditWriter.DRAIN_PRIORITY - 400) ShutdownEvent event) {
        stopping = true;
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
