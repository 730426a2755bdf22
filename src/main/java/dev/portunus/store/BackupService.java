package dev.portunus.store;

import dev.portunus.events.Event;
import dev.portunus.events.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.sqlite.SQLiteConnection;

/**
 * {@code backup --out}: an online snapshot of the store taken in one step of SQLite's backup API
 * (all pages at once). A page-by-page copy restarts whenever another process writes and, under
 * steady writes, never finishes; one step holds a read transaction for the copy only, which WAL
 * lets writers work beside.
 */
public final class BackupService {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public record Result(Path artefact, long bytes, int schemaVersion, String sha256, long copyMillis, long totalMillis) {
    }

    private BackupService() {
    }

    public static Result backup(StoreFiles files, String out, boolean verify) {
        Path db = files.db();
        try {
            if (StoreInspection.isEmptyFile(db)) {
                throw new Refusal(Refusal.GENERIC, Event.of("cli.backup_refused").with("path", db)
                        .with("reason", "no store (missing or empty state.db)")
                        .hint("check --data-dir / PORTUNUS_DATA_DIR; 'serve' creates the store on first start"));
            }
            if (!SqliteFile.hasSqliteHeader(db)) {
                throw new Refusal(Refusal.GENERIC, Event.of("cli.backup_refused").with("path", db)
                        .with("reason", "state.db is not a SQLite database")
                        .hint("check --data-dir; if this is the store, restore it from a backup"));
            }
        } catch (IOException e) {
            throw ioFailure(db, e);
        }
        Path target = targetFor(out);
        if (Files.exists(target)) {
            throw exists(target);
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        long started = System.nanoTime();
        long copyMillis;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Connection source = SqliteFile.openReadOnlyLive(db)) {
                // pagesPerStep = -1: the whole database in one step, so concurrent writers cannot restart it.
                ((SQLiteConnection) source).getDatabase().backup("main", tmp.toString(), null, 100, 50, -1);
            }
            copyMillis = (System.nanoTime() - started) / 1_000_000;
            int version;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.toAbsolutePath())) {
                try (Statement s = c.createStatement()) {
                    // The copy inherits WAL mode from the store; an artefact must be one self-contained file.
                    s.executeQuery("PRAGMA journal_mode=DELETE").close();
                }
                version = SqliteFile.schemaVersion(c);
                if (verify) {
                    List<String> problems = SqliteFile.check(c, true);
                    problems.addAll(SqliteFile.foreignKeyViolations(c));
                    if (!problems.isEmpty()) {
                        throw new Refusal(Refusal.GENERIC, Event.of("cli.backup_failed").with("path", target)
                                .with("reason", "verification failed: " + problems.get(0))
                                .hint("the store itself may be damaged: run 'verify' on an older backup and restore it"));
                    }
                }
            }
            if (Files.exists(target)) {
                throw exists(target);
            }
            // Hash (CPU, from the page cache) while publishing flushes the file to disk (I/O). The
            // stream is opened first: publishing unlinks the temporary name, an open file survives it.
            String sha;
            try (InputStream artefactBytes = Files.newInputStream(tmp)) {
                CompletableFuture<String> hashing = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Sha256.of(artefactBytes);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                FileOps.publishNoReplace(tmp, target);
                sha = joinHash(hashing);
            }
            Path sidecar = Sha256.sidecarOf(target);
            Path sidecarTmp = sidecar.resolveSibling("." + sidecar.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.writeString(sidecarTmp, Sha256.sumLine(sha, target), StandardCharsets.US_ASCII);
            FileOps.publishReplacing(sidecarTmp, sidecar);
            recordLastBackup(db);
            return new Result(target, Files.size(target), version, sha, copyMillis,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw exists(target);
        } catch (IOException e) {
            throw ioFailure(target, e);
        } catch (SQLException e) {
            throw new Refusal(Refusal.GENERIC, Event.of("cli.backup_failed").with("path", target)
                    .with("reason", e.getMessage()).hint("check free space at the destination and retry"), e);
        } finally {
            FileOps.deleteQuietly(tmp, tmp.resolveSibling(tmp.getFileName() + "-journal"));
        }
    }

    static final String RECORD_LAST_BACKUP = "INSERT INTO server_settings (id, settings_json, updated_at) "
            + "VALUES (1, json_object('last_backup_unix', ?), ?) ON CONFLICT (id) DO UPDATE SET "
            + "settings_json = json_set(settings_json, '$.last_backup_unix', excluded.settings_json ->> '$.last_backup_unix'), "
            + "updated_at = excluded.updated_at";

    /**
     * Notes the time of this backup in the store, where a running {@code serve} reads it for
     * {@code portunus_last_backup_timestamp_seconds} (the backup runs in another process). The
     * artefact is already complete: failing to record it is a warning, not a failed backup.
     */
    private static void recordLastBackup(Path db) {
        try (Connection c = SqliteFile.openStore(db)) {
            if (!SqliteFile.tableExists(c, "server_settings")) {
                return;
            }
            Store.inTransaction(c, "BEGIN IMMEDIATE",
                    h -> h.update(RECORD_LAST_BACKUP, Instant.now().getEpochSecond(), Timestamps.now()));
        } catch (SQLException e) {
            Event.of("cli.backup_not_recorded").with("path", db).with("reason", e.getMessage())
                    .hint("the backup is complete; only portunus_last_backup_timestamp_seconds was not updated").warn();
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

    /** An existing directory (or a path ending in '/') gets a timestamped name inside it. */
    static Path targetFor(String out) {
        Path abs = Path.of(out).toAbsolutePath().normalize();
        if (Files.isDirectory(abs) || out.endsWith("/")) {
            return abs.resolve("portunus-state-" + STAMP.format(Instant.now()) + ".db");
        }
        return abs;
    }

    private static Refusal exists(Path target) {
        return new Refusal(Refusal.GENERIC, Event.of("cli.backup_refused").with("path", target)
                .with("reason", "destination exists; backups never overwrite")
                .hint("choose a new --out name, or pass a directory to get a timestamped name"));
    }

    private static Refusal ioFailure(Path path, IOException e) {
        return new Refusal(Refusal.GENERIC, Event.of("cli.backup_failed").with("path", path)
                .with("reason", e.getClass().getSimpleName() + ": " + e.getMessage())
                .hint("check that the destination directory exists, is writable and has free space"), e);
    }
}
