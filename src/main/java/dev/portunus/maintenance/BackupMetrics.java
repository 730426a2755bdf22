package dev.portunus.maintenance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The backup and retention meters of 07-scheduled-backups.md §5, registered at start whatever the
 * configuration (zero while a feature is off): {@code portunus_backups_total{trigger,result}},
 * {@code portunus_backup_duration_seconds} (last run into backup_dir), {@code portunus_backup_bytes}
 * (last artefact), {@code portunus_backup_next_run_timestamp_seconds} (0: no schedule) and
 * {@code portunus_audit_retention_pruned_total}. {@code portunus_last_backup_timestamp_seconds} stays
 * with {@code metrics/StoreMetrics}, read from the store's {@code last_backup_unix}.
 */
@ApplicationScoped
public class BackupMetrics {

    /** What started a backup. */
    public enum Trigger { SCHEDULE, API, SNAPSHOT }

    /** How it ended; {@code SKIPPED}: another backup was running. */
    public enum Result { OK, FAILED, SKIPPED }

    /** Gauge values; meters hold their object weakly and may outlive one app start (see AuditWriter). */
    static final class Values {
        volatile double durationSeconds;
        volatile double bytes;
        volatile double nextRunSeconds;
    }

    private static final AtomicReference<Values> CURRENT = new AtomicReference<>(new Values());

    @Inject
    MeterRegistry registry;

    private final Map<Trigger, Map<Result, Counter>> runs = new EnumMap<>(Trigger.class);
    private Counter retentionPruned;

    /** Before the schedule starts (it sets the next-run gauge). */
    void onStart(@Observes @Priority(10) StartupEvent event) {
        CURRENT.set(new Values());
        for (Trigger t : Trigger.values()) {
            Map<Result, Counter> byResult = new EnumMap<>(Result.class);
            for (Result r : Result.values()) {
                byResult.put(r, Counter.builder("portunus.backups").tag("trigger", name(t)).tag("result", name(r))
                        .description("Backups by trigger and result (skipped: another backup was running)").register(registry));
            }
            runs.put(t, byResult);
        }
        retentionPruned = Counter.builder("portunus.audit.retention.pruned")
                .description("Audit entries removed by audit_retention").register(registry);
        Gauge.builder("portunus.backup.duration", CURRENT, v -> v.get().durationSeconds).baseUnit("seconds")
                .description("Duration of the last backup run into backup_dir").register(registry);
        Gauge.builder("portunus.backup.bytes", CURRENT, v -> v.get().bytes)
                .description("Size in bytes of the last artefact published into backup_dir").register(registry);
        Gauge.builder("portunus.backup.next.run.timestamp", CURRENT, v -> v.get().nextRunSeconds).baseUnit("seconds")
                .description("Unix time of the next scheduled backup (0: no schedule)").register(registry);
    }

    void count(Trigger trigger, Result result) {
        runs.get(trigger).get(result).increment();
    }

    void lastRun(double seconds) {
        CURRENT.get().durationSeconds = seconds;
    }

    void lastArtefact(long bytes) {
        CURRENT.get().bytes = bytes;
    }

    void nextRun(long unixSeconds) {
        CURRENT.get().nextRunSeconds = unixSeconds;
    }

    void retentionPruned(long n) {
        retentionPruned.increment(n);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
