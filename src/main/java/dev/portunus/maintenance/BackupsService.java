package dev.portunus.maintenance;

import dev.portunus.api.ApiException;
import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.maintenance.BackupMetrics.Result;
import dev.portunus.maintenance.BackupMetrics.Trigger;
import dev.portunus.metrics.StoreMetrics;
import dev.portunus.ops.BackupDirectory;
import dev.portunus.ops.BackupService;
import dev.portunus.ops.StoreAccess;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.Store;
import dev.portunus.store.StoreFiles;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Backups inside {@code serve} (07-scheduled-backups.md): one run into {@code backup_dir} for both
 * triggers (the schedule and {@code POST /v1/backups}) through {@link BackupService#backupInto}, the
 * code of {@code backup --out <dir>/ --verify}; pruning to {@code backup_keep} after each verified
 * publish; the listing and downloads of {@code GET /v1/backups}; snapshots. Runs into backup_dir
 * never overlap (one permit); snapshots may run beside them (their own temporary file).
 */
@ApplicationScoped
public class BackupsService {

    @Inject
    PortunusConfig config;

    @Inject
    Store store;

    @Inject
    StoreMetrics storeMetrics;

    @Inject
    BackupMetrics metrics;

    private final Semaphore running = new Semaphore(1);
    private volatile BackupService.Job current;
    private volatile Instant lastSuccessAt;
    private volatile Instant lastFailureAt;
    private volatile String lastFailureReason;
    private volatile Instant nextRunAt;

    /** The configured backup_dir, absolute; empty when scheduling is off. */
    public Optional<Path> dir() {
        return config.settings().backupDir().map(p -> p.toAbsolutePath().normalize());
    }

    private StoreFiles files() {
        return new StoreFiles(config.dataDir());
    }

    /**
     * Prepares backup_dir at start: created 0700 when missing (the launcher did this already for a real
     * serve), stale temporary files of dead processes removed, and {@code last_success_at} seeded from
     * the newest artefact there.
     */
    void prepare(Path dir) throws IOException {
        FileOps.createPrivateDirectories(dir);
        BackupDirectory.removeStaleTemporaries(dir);
        List<BackupDirectory.Artefact> present = BackupDirectory.list(dir);
        if (!present.isEmpty() && lastSuccessAt == null) {
            lastSuccessAt = present.get(0).createdAt();
        }
    }

    /** Takes the one permit for a run into backup_dir; false when one is going. */
    boolean tryBegin() {
        return running.tryAcquire();
    }

    void end() {
        running.release();
    }

    void nextRun(Instant at) {
        nextRunAt = at;
        metrics.nextRun(at == null ? 0 : at.getEpochSecond());
    }

    /**
     * One run into backup_dir; the caller holds the permit. Publishes a verified artefact, records
     * the time ({@code last_backup_unix}, and {@code last_scheduled_backup_unix} for the schedule),
     * prunes, logs {@code backup.complete}; or logs {@code backup.failed}, publishes nothing and
     * rethrows the {@link Refusal}.
     */
    BackupService.Result runHeld(Trigger trigger, Path dir) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        BackupService.Job job = new BackupService.Job();
        current = job;
        try {
            BackupService.Result r = BackupService.backupInto(files(), dir, job);
            metrics.lastRun((System.nanoTime() - t0) / 1e9);
            metrics.lastArtefact(r.bytes());
            metrics.count(trigger, Result.OK);
            lastSuccessAt = Instant.now();
            record(trigger == Trigger.SCHEDULE ? started : null);
            Event.of(EventName.BACKUP_COMPLETE).with("trigger", name(trigger)).with("path", r.artefact())
                    .with("bytes", r.bytes()).with("schema_version", r.schemaVersion()).with("sha256", r.sha256())
                    .with("total_ms", r.totalMillis()).info();
            prune(dir, r.artefact());
            return r;
        } catch (RuntimeException e) {
            metrics.lastRun((System.nanoTime() - t0) / 1e9);
            Refusal refusal = asRefusal(e, dir);
            metrics.count(trigger, Result.FAILED);
            lastFailureAt = Instant.now();
            lastFailureReason = reason(refusal);
            failedEvent(trigger, refusal).error();
            throw refusal;
        } finally {
            current = null;
        }
    }

    /** {@code POST /v1/backups}: 201 body, or 409 / 507 / 500 as {@link ApiException}. */
    public BackupJson.Created create() {
        Path dir = dir().orElseThrow(() -> new ApiException(409, "backup_dir_unset",
                "no backup_dir is configured (set backup_dir / PORTUNUS_BACKUP_DIR); GET /v1/snapshot works without one"));
        if (!tryBegin()) {
            metrics.count(Trigger.API, Result.SKIPPED);
            throw new ApiException(409, "backup_in_progress", "a backup is running; retry when it has finished");
        }
        try {
            BackupService.Result r = runHeld(Trigger.API, dir);
            return new BackupJson.Created(r.artefact().getFileName().toString(), r.bytes(), r.sha256(), r.schemaVersion(),
                    createdAt(r.artefact()), true);
        } catch (Refusal e) {
            throw failure(e);
        } finally {
            end();
        }
    }

    /** {@code GET /v1/backups}: artefacts newest first and the schedule block (all null without backup_dir). */
    public BackupJson.Listing list() {
        Optional<Path> dir = dir();
        if (dir.isEmpty()) {
            return new BackupJson.Listing(List.of(), new BackupJson.Schedule(null, null, null, null));
        }
        try {
            List<BackupJson.Artefact> artefacts = BackupDirectory.list(dir.get()).stream()
                    .map(a -> new BackupJson.Artefact(a.name(), a.bytes(), a.sha256(), Timestamps.format(a.createdAt())))
                    .toList();
            return new BackupJson.Listing(artefacts, new BackupJson.Schedule(format(lastSuccessAt), format(lastFailureAt),
                    lastFailureReason, format(nextRunAt)));
        } catch (IOException e) {
            throw new ApiException(500, "backup_dir_unreadable", "cannot list backup_dir: " + e.getMessage());
        }
    }

    /** {@code GET /v1/backups/{name}}: only a listed artefact; anything else 404. */
    public BackupJson.Download artefact(String name) {
        Optional<Path> dir = dir();
        try {
            Optional<BackupDirectory.Artefact> a = dir.isEmpty() ? Optional.empty() : BackupDirectory.find(dir.get(), name);
            if (a.isEmpty()) {
                throw ApiException.notFound("backup");
            }
            InputStream in = Files.newInputStream(a.get().path());
            return new BackupJson.Download(a.get().name(), a.get().bytes(), a.get().sha256(), in);
        } catch (NoSuchFileException gone) {
            throw ApiException.notFound("backup");
        } catch (IOException e) {
            throw new ApiException(500, "backup_dir_unreadable", "cannot read the artefact: " + e.getMessage());
        }
    }

    /**
     * {@code GET /v1/snapshot}: a fresh checked copy in a temporary file in the data-dir, opened and
     * then unlinked at once, so that nothing is kept whether or not the download completes.
     */
    public BackupJson.Download snapshot() {
        StoreFiles files = files();
        Path tmp = files.dataDir().resolve(".portunus-snapshot-" + UUID.randomUUID() + ".tmp");
        try {
            BackupService.Snapshot s = BackupService.snapshot(files, tmp);
            InputStream in = Files.newInputStream(s.file());
            Files.deleteIfExists(s.file());
            metrics.count(Trigger.SNAPSHOT, Result.OK);
            record(null);
            Event.of(EventName.BACKUP_COMPLETE).with("trigger", name(Trigger.SNAPSHOT)).with("bytes", s.bytes())
                    .with("schema_version", s.schemaVersion()).with("sha256", s.sha256()).info();
            String name = "portunus-snapshot-" + BackupDirectory.stamp(Instant.now()) + ".db";
            return new BackupJson.Download(name, s.bytes(), s.sha256(), in);
        } catch (IOException | RuntimeException e) {
            FileOps.deleteQuietly(tmp);
            Refusal refusal = e instanceof IOException io
                    ? StoreAccess.ioFailure(tmp, io, EventName.CLI_BACKUP_FAILED, Refusal.GENERIC, "nothing was kept")
                    : asRefusal((RuntimeException) e, tmp);
            metrics.count(Trigger.SNAPSHOT, Result.FAILED);
            failedEvent(Trigger.SNAPSHOT, refusal).error();
            throw failure(refusal);
        }
    }

    /**
     * Shutdown: waits up to {@code max} for a run into backup_dir to finish, then abandons it (its
     * temporary files are removed and it publishes nothing).
     */
    void awaitOrAbandon(Duration max) {
        try {
            if (running.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS)) {
                running.release();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        BackupService.Job job = current;
        if (job != null) {
            job.abandon();
            Event.of(EventName.BACKUP_FAILED).with("reason", "abandoned at shutdown after " + max.toSeconds() + " s")
                    .hint("temporary files were removed and nothing was published; the schedule runs again after the next start")
                    .warn();
        }
    }

    /** Notes a successful backup in the store (the source of portunus_last_backup_timestamp_seconds). */
    private void record(Instant scheduledStart) {
        long now = Instant.now().getEpochSecond();
        try {
            store.write(h -> {
                String ts = Timestamps.now();
                SettingsRepository.putNumber(h, SettingsRepository.LAST_BACKUP_UNIX, now, ts);
                if (scheduledStart != null) {
                    SettingsRepository.putNumber(h, SettingsRepository.LAST_SCHEDULED_BACKUP_UNIX, scheduledStart.getEpochSecond(), ts);
                }
                return null;
            });
            storeMetrics.refreshLastBackup();
        } catch (RuntimeException e) {
            Event.of(EventName.CLI_BACKUP_NOT_RECORDED).with("reason", e.getMessage())
                    .hint("the backup is complete; only its time was not recorded in the store").warn();
        }
    }

    private void prune(Path dir, Path published) {
        try {
            for (String name : BackupDirectory.prune(dir, config.settings().backupKeep(), published)) {
                Event.of(EventName.BACKUP_PRUNED).with("name", name).with("keep", config.settings().backupKeep()).info();
            }
        } catch (IOException e) {
            Event.of(EventName.BACKUP_FAILED).with("reason", "pruning older artefacts failed: " + e.getMessage())
                    .hint("the new artefact is published; check the permissions of " + dir).warn();
        }
    }

    private static Refusal asRefusal(RuntimeException e, Path where) {
        if (e instanceof Refusal r) {
            return r;
        }
        return new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_FAILED).with("path", where)
                .with("reason", Causes.rootMessage(e)).hint("check the store and the destination, then retry"), e);
    }

    private static Event failedEvent(Trigger trigger, Refusal refusal) {
        return Event.of(EventName.BACKUP_FAILED).with("trigger", name(trigger)).with("path", refusal.event().field("path"))
                .with("reason", reason(refusal)).hint(String.valueOf(refusal.event().field("hint")));
    }

    /** 507 when the destination is out of space, 500 otherwise; the reason in the message. */
    private static ApiException failure(Refusal refusal) {
        String reason = reason(refusal);
        SQLException sql = Causes.find(refusal, SQLException.class);
        boolean full = reason.toLowerCase(Locale.ROOT).contains("no space left")
                || (sql != null && StoreAccess.cause(sql) == StoreAccess.SqliteCause.FULL);
        return new ApiException(full ? 507 : 500, "backup_failed", "backup failed, nothing was published: " + reason);
    }

    private static String reason(Refusal refusal) {
        Object reason = refusal.event().field("reason");
        return reason == null ? refusal.getMessage() : reason.toString();
    }

    private static String createdAt(Path artefact) {
        return BackupDirectory.createdAt(artefact.getFileName().toString()).map(Timestamps::format).orElse(Timestamps.now());
    }

    private static String format(Instant at) {
        return at == null ? null : Timestamps.format(at);
    }

    static String name(Trigger t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
