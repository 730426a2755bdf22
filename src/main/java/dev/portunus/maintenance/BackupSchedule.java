package dev.portunus.maintenance;

import dev.portunus.audit.AuditWriter;
import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.maintenance.BackupMetrics.Result;
import dev.portunus.maintenance.BackupMetrics.Trigger;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.Store;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The backup schedule of {@code serve} (07-scheduled-backups.md §2, §7): off without
 * {@code backup_dir}. The first run is one interval after start, or at
 * {@code last_scheduled_backup_unix + interval} when that is recorded, and within one minute of start
 * when that time has passed while serve was down. A timer thread decides, a worker thread runs: a run
 * still going (or an API backup) when the next is due makes that one skipped and counted, never
 * overlapping. A failed run is retried after {@code min(interval, 15m)}. At shutdown a running
 * backup gets up to the shutdown timeout, then is abandoned (temporary files removed).
 */
@ApplicationScoped
public class BackupSchedule {

    /** After the HTTP requests, before the audit drain and the WAL checkpoint. */
    static final int STOP_PRIORITY = AuditWriter.DRAIN_PRIORITY - 500;

    private static final Duration MAX_RETRY = Duration.ofMinutes(15);

    @Inject
    PortunusConfig config;

    @Inject
    Store store;

    @Inject
    BackupsService backups;

    @Inject
    BackupMetrics metrics;

    @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "10s")
    Duration shutdownTimeout;

    private ScheduledExecutorService timer;
    private ExecutorService worker;
    private Duration interval;
    private Path dir;
    private ScheduledFuture<?> pending;
    private Instant next;

    void onStart(@Observes @Priority(100) StartupEvent event) {
        Optional<Path> configured = backups.dir();
        backups.nextRun(null);
        if (configured.isEmpty()) {
            return;
        }
        dir = configured.get();
        interval = config.backup().testInterval().orElse(config.settings().backupInterval());
        try {
            backups.prepare(dir);
        } catch (IOException e) {
            // Not fatal: the run reports the same problem as backup.failed and is retried.
            Event.of(EventName.BACKUP_FAILED).with("path", dir).with("reason", e.getMessage())
                    .hint("check that backup_dir exists and is writable by this user").warn();
        }
        Optional<Long> last = store.read(h -> SettingsRepository.present(h)
                ? SettingsRepository.number(h, SettingsRepository.LAST_SCHEDULED_BACKUP_UNIX).map(Double::longValue)
                : Optional.<Long>empty());
        timer = Executors.newSingleThreadScheduledExecutor(daemon("portunus-backup-timer"));
        worker = Executors.newSingleThreadExecutor(daemon("portunus-backup"));
        scheduleAt(firstRun(Instant.now(), last, interval, config.backup().catchUpDelay()));
    }

    /**
     * 07 §7 "Timing": {@code now + interval} without a record; {@code last + interval} when that is
     * ahead (never more than one interval ahead, should the clock have gone back); {@code now +
     * min(catchUp, interval)} when it is already past.
     */
    static Instant firstRun(Instant now, Optional<Long> lastScheduledUnix, Duration interval, Duration catchUp) {
        if (lastScheduledUnix.isEmpty()) {
            return now.plus(interval);
        }
        Instant due = Instant.ofEpochSecond(lastScheduledUnix.get()).plus(interval);
        if (due.isAfter(now)) {
            return due.isAfter(now.plus(interval)) ? now.plus(interval) : due;
        }
        return now.plus(catchUp.compareTo(interval) < 0 ? catchUp : interval);
    }

    private synchronized void scheduleAt(Instant at) {
        if (timer == null || timer.isShutdown()) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        next = at;
        backups.nextRun(at);
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        pending = timer.schedule(this::due, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void due() {
        Instant dueAt = next;
        Instant following = later(dueAt.plus(interval), Instant.now());
        if (!backups.tryBegin()) {
            metrics.count(Trigger.SCHEDULE, Result.SKIPPED);
            Event.of(EventName.BACKUP_SKIPPED).with("trigger", "schedule").with("reason", "another backup is still running")
                    .info();
            scheduleAt(following);
            return;
        }
        // The next run stays due one interval after this one, so a run that outlasts it is skipped, not stacked.
        scheduleAt(following);
        try {
            worker.execute(this::runOne);
        } catch (RuntimeException rejected) {
            backups.end(); // shutting down
        }
    }

    private void runOne() {
        boolean ok = false;
        try {
            backups.runHeld(Trigger.SCHEDULE, dir);
            ok = true;
        } catch (Refusal | dev.portunus.store.StoreUnavailableException e) {
            // reported as backup.failed by runHeld
        } finally {
            backups.end();
        }
        if (!ok) {
            scheduleAt(Instant.now().plus(interval.compareTo(MAX_RETRY) < 0 ? interval : MAX_RETRY));
        }
    }

    void onStop(@Observes @Priority(STOP_PRIORITY) ShutdownEvent event) {
        synchronized (this) {
            if (timer == null) {
                return;
            }
            timer.shutdownNow();
        }
        backups.awaitOrAbandon(shutdownTimeout);
        worker.shutdownNow();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
