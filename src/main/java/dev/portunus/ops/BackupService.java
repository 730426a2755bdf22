package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.store.StoreFiles;
import dev.portunus.store.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * {@code backup --out}: an online snapshot of the store taken in one step of SQLite's backup API
 * (all pages at once). A page-by-page copy restarts whenever another process writes and, under
 * steady writes, never finishes; one step holds a read transaction for the copy only, which WAL
 * lets writers work beside.
 *
 * <p>Nothing is published unless it is known good: every result of the backup API and of every
 * file operation is checked, and the copy must be non-empty, start with the SQLite header, have
 * exactly page_count × page_size bytes, carry schema ≥ 1 and pass {@code quick_check} (with
 * {@code --verify}: {@code integrity_check} and {@code foreign_key_check}, what {@code verify --in}
 * runs). Only then is it linked under its final name (never replacing a file), with its
 * {@code .sha256} beside it. Any failure removes the temporary files and publishes nothing (exit 1).
 */
public final class BackupService {

    static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A published artefact; bytes and milliseconds. */
    public record Result(Path artefact, long bytes, int schemaVersion, String sha256, long copyMillis, long totalMillis) {
    }

    private record Checked(int schemaVersion, long bytes) {
    }

    private BackupService() {
    }

    /**
     * A backup in progress that its owner may abandon ({@code serve} at shutdown): its temporary files
     * are removed at once and nothing is published, even if the copy finishes later.
     */
    public static final class Job {
        private final Set<Path> temporaries = ConcurrentHashMap.newKeySet();
        private volatile boolean abandoned;

        public void abandon() {
            abandoned = true;
            temporaries.forEach(FileOps::deleteQuietly);
        }

        public boolean abandoned() {
            return abandoned;
        }

        private void track(Path... paths) {
            temporaries.addAll(List.of(paths));
        }
    }

    /** A checked snapshot in a temporary file, not published: {@code GET /v1/snapshot} streams and removes it. */
    public record Snapshot(Path file, long bytes, int schemaVersion, String sha256) {
    }

    /**
     * {@code backup --out <out> [--verify]}: publishes the artefact, then notes the time in the store
     * ({@code last_backup_unix}) through a connection of its own. Throws {@link Refusal} (exit 1).
     */
    public static Result backup(StoreFiles files, String out, boolean verify) {
        requireStore(files);
        boolean directory = isDirectoryTarget(out);
        Path target = directory ? stampedName(Path.of(out), Instant.now(), 1) : Path.of(out).toAbsolutePath().normalize();
        if (!directory && Files.exists(target)) {
            throw exists(target);
        }
        Result r = publish(files.db(), target, directory, verify, new Job());
        recordLastBackup(files.db());
        return r;
    }

    /**
     * {@code backup --out <dir>/ --verify} for {@code serve}'s triggers (schedule, API): the same copy,
     * checks, temporary names and publication as the command, abandonable through {@code job}. Records
     * nothing: {@code serve} notes the time through its own store. Throws {@link Refusal}.
     */
    public static Result backupInto(StoreFiles files, Path dir, Job job) {
        requireStore(files);
        return publish(files.db(), stampedName(dir, Instant.now(), 1), true, true, job);
    }

    /**
     * A consistent copy of the store in {@code tmp} (same filesystem as the caller chooses), made and
     * checked like {@code backup} without {@code --verify} but never published; the caller removes it.
     * Throws {@link Refusal} after removing what it wrote.
     */
    public static Snapshot snapshot(StoreFiles files, Path tmp) {
        requireStore(files);
        try {
            FileOps.createPrivateFile(tmp);
            copyAllPages(files.db(), tmp);
            selfContained(tmp, tmp);
            CompletableFuture<String> hashing = CompletableFuture.supplyAsync(() -> hash(tmp));
            Checked checked = check(tmp, false, tmp);
            return new Snapshot(tmp, checked.bytes(), checked.schemaVersion(), joinHash(hashing));
        } catch (IOException e) {
            FileOps.deleteQuietly(tmp);
            throw StoreAccess.ioFailure(tmp, e, EventName.CLI_BACKUP_FAILED, Refusal.GENERIC, "nothing was kept");
        } catch (SQLException | RuntimeException e) {
            FileOps.deleteQuietly(tmp);
            throw e instanceof Refusal r ? r : failed(tmp, e.getMessage(), e);
        } finally {
            FileOps.deleteQuietly(tmp.resolveSibling(tmp.getFileName() + "-journal"));
        }
    }

    /** The temporary name a backup to {@code target} writes first, in the same directory (hidden). */
    static Path temporaryOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    /**
     * Copy, checks, hash, then publication under {@code target} (a fresh stamped name in a directory
     * target when that is taken meanwhile) with its {@code .sha256}; temporary files removed whatever
     * happens.
     */
    private static Result publish(Path db, Path target, boolean directory, boolean verify, Job job) {
        Path tmp = temporaryOf(target);
        Path sidecarTmp = tmp.resolveSibling(tmp.getFileName() + ".sha256");
        Path journal = tmp.resolveSibling(tmp.getFileName() + "-journal");
        job.track(tmp, sidecarTmp, journal);
        long started = System.nanoTime();
        try {
            FileOps.createPrivateDirectories(target.getParent());
            Files.deleteIfExists(tmp);
            FileOps.createPrivateFile(tmp);
            copyAllPages(db, tmp);
            long copyMillis = (System.nanoTime() - started) / 1_000_000;
            selfContained(tmp, target);
            // The copy is final from here on: its checks (CPU and page cache) and its hash run side by side.
            CompletableFuture<String> hashing = CompletableFuture.supplyAsync(() -> hash(tmp));
            Checked checked = check(tmp, verify, target);
            String sha = joinHash(hashing);
            FileOps.writePrivate(sidecarTmp, new byte[0]);
            while (true) {
                Files.writeString(sidecarTmp, Sha256.sumLine(sha, target), StandardCharsets.US_ASCII);
                requireNotAbandoned(job, target);
                try {
                    FileOps.publishNoReplace(tmp, target);
                    break;
                } catch (FileAlreadyExistsException taken) {
                    if (!directory) {
                        throw taken;
                    }
                    target = stampedName(target.getParent(), Instant.now(), 1);
                }
            }
            try {
                FileOps.publishReplacing(sidecarTmp, Sha256.sidecarOf(target));
            } catch (IOException e) {
                // An artefact without its checksum is not what was promised: take it back.
                FileOps.deleteQuietly(target);
                throw e;
            }
            return new Result(target, checked.bytes(), checked.schemaVersion(), sha, copyMillis,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (FileAlreadyExistsException e) {
            throw exists(target);
        } catch (IOException e) {
            throw StoreAccess.ioFailure(target, e, EventName.CLI_BACKUP_FAILED, Refusal.GENERIC,
                    "nothing was published");
        } catch (SQLException e) {
            throw failed(target, "SQLite: " + e.getMessage(), e);
        } finally {
            FileOps.deleteQuietly(tmp, journal, sidecarTmp);
        }
    }

    private static void requireNotAbandoned(Job job, Path target) {
        if (job.abandoned()) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_FAILED).with("path", target)
                    .with("reason", "abandoned at shutdown").hint("nothing was published; the next run takes a new backup"));
        }
    }

    /**
     * Copies the live store into {@code tmp} with the backup API in one step and checks its result
     * code: the driver returns SQLITE_FULL and friends instead of throwing.
     */
    private static void copyAllPages(Path db, Path tmp) throws SQLException {
        try (Connection source = SqliteFile.openReadOnlyLive(db)) {
            // pagesPerStep = -1: the whole database in one step, so concurrent writers cannot restart it.
            int rc = ((SQLiteConnection) source).getDatabase().backup("main", tmp.toString(), null, 100, 50, -1);
            if (rc != 0) {
                throw DB.newSQLException(rc, "backup API failed writing " + tmp);
            }
        }
    }

    /** The copy inherits WAL mode from the store; an artefact must be one self-contained file. */
    private static void selfContained(Path tmp, Path target) throws SQLException {
        try (Connection c = SqliteFile.openPlain(tmp)) {
            if (!SqliteFile.toRollbackJournal(c)) {
                throw failed(target, "the copy could not be switched to a self-contained file", null);
            }
        }
    }

    /** Checks the finished copy the way {@code verify} would, read-only; any shortfall is a failed backup. */
    private static Checked check(Path tmp, boolean full, Path target) throws IOException, SQLException {
        try (Connection c = SqliteFile.openReadOnly(tmp)) {
            long expected = SqliteFile.expectedSize(c);
            long bytes = Files.size(tmp);
            if (bytes == 0 || bytes != expected || !SqliteFile.hasSqliteHeader(tmp)) {
                throw failed(target, "the copy is incomplete: " + bytes + " bytes on disk, " + expected + " expected", null);
            }
            int version = SqliteFile.schemaVersion(c);
            if (version < 1) {
                throw failed(target, "the copy carries no schema history (schema_version " + version + ")", null);
            }
            List<String> problems = new ArrayList<>(SqliteFile.check(c, full));
            if (full) {
                problems.addAll(SqliteFile.foreignKeyViolations(c));
            }
            if (!problems.isEmpty()) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_FAILED).with("path", target)
                        .with("reason", "verification failed: " + problems.get(0))
                        .hint("the store itself may be damaged: run 'verify' on an older backup and restore it"));
            }
            return new Checked(version, bytes);
        }
    }

    private static void requireStore(StoreFiles files) {
        Path db = files.db();
        try {
            if (StoreInspection.isEmptyFile(db)) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_REFUSED).with("path", db)
                        .with("reason", "no store (missing or empty state.db)")
                        .hint("check --data-dir / PORTUNUS_DATA_DIR; 'serve' creates the store on first start"));
            }
            StoreAccess.requireReadWrite(files);
            if (!SqliteFile.hasSqliteHeader(db)) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_REFUSED).with("path", db)
                        .with("reason", "state.db is not a SQLite database")
                        .hint("check --data-dir; if this is the store, restore it from a backup"));
            }
        } catch (IOException e) {
            throw StoreAccess.storeFailure(db, e);
        }
    }

    /**
     * Notes the time of this backup in the store, where a running {@code serve} reads it for
     * {@code portunus_last_backup_timestamp_seconds} (the backup runs in another process). The
     * artefact is already complete: failing to record it is a warning, not a failed backup.
     */
    private static void recordLastBackup(Path db) {
        try (Connection c = SqliteFile.openStore(db)) {
            Store.writeOn(c, h -> {
                if (SettingsRepository.present(h)) {
                    SettingsRepository.putNumber(h, SettingsRepository.LAST_BACKUP_UNIX, Instant.now().getEpochSecond(),
                            Timestamps.now());
                }
                return null;
            });
        } catch (SQLException e) {
            Event.of(EventName.CLI_BACKUP_NOT_RECORDED).with("path", db).with("reason", e.getMessage())
                    .hint("the backup is complete; only portunus_last_backup_timestamp_seconds was not updated").warn();
        }
    }

    private static String hash(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Sha256.of(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String joinHash(CompletableFuture<String> hashing) throws IOException {
        try {
            return hashing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    /** An existing directory, or a path ending in '/', gets a stamped name inside it. */
    static boolean isDirectoryTarget(String out) {
        return out.endsWith("/") || Files.isDirectory(Path.of(out));
    }

    /**
     * {@code portunus-state-<UTC stamp>.db} in {@code dir}; the {@code n}-th try within the same
     * second gets {@code -n} before {@code .db} (07-scheduled-backups.md §7). Goes past the highest
     * suffix present for that second, so that a name pruned meanwhile is never given out again (the
     * suffix orders artefacts of one second, newest last).
     */
    static Path stampedName(Path dir, Instant at, int n) {
        Path abs = dir.toAbsolutePath().normalize();
        String stamp = STAMP.format(at);
        String base = "portunus-state-" + stamp;
        int highest = BackupDirectory.highestSuffix(abs, stamp);
        int i = Math.max(n, highest + 1);
        return abs.resolve(base + (i == 1 ? "" : "-" + i) + ".db");
    }

    private static Refusal exists(Path target) {
        return new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_REFUSED).with("path", target)
                .with("reason", "destination exists; backups never overwrite")
                .hint("choose a new --out name, or pass a directory to get a timestamped name"));
    }

    private static Refusal failed(Path target, String reason, Throwable cause) {
        boolean full = cause instanceof SQLException e && StoreAccess.cause(e) == StoreAccess.SqliteCause.FULL;
        String text = reason + (full ? " (no space left on device)" : "");
        return new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_BACKUP_FAILED).with("path", target).with("reason", text)
                .hint("check free space and permissions at the destination and retry; nothing was published"), cause);
    }
}
