package dev.portunus.ops;

import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.store.Migrator;
import dev.portunus.store.Schema;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code serve}'s forward migration (01-store.md §2), run by the startup checks before Quarkus boots
 * and only when there is one to run: a store already at {@link Schema#LATEST_VERSION} never loads
 * Flyway (about a third of a restart's boot time when it did). All or nothing at the file level:
 * the pending migrations run in one transaction ({@link Migrator}), and besides, before migrating an
 * existing store its WAL is folded in and the file copied aside; a failed migration puts the copy
 * back (a fresh store is simply removed again) and exits 78 with {@code startup.migration_failed}.
 */
public final class MigrationGuard {

    private final StoreFiles files;
    private final Path snapshot;
    private final boolean removeOnFailure;
    private final int fromVersion;

    private MigrationGuard(StoreFiles files, Path snapshot, boolean removeOnFailure, int fromVersion) {
        this.files = files;
        this.snapshot = snapshot;
        this.removeOnFailure = removeOnFailure;
        this.fromVersion = fromVersion;
    }

    public static MigrationGuard none() {
        return new MigrationGuard(null, null, false, Schema.LATEST_VERSION);
    }

    public static MigrationGuard forFreshStore(StoreFiles files) {
        return new MigrationGuard(files, null, true, 0);
    }

    public static MigrationGuard snapshotBeforeMigrating(StoreFiles files, int fromVersion)
            throws IOException, SQLException {
        if (Files.exists(files.wal())) {
            // The safety copy is of state.db alone, so every committed frame must be in it first.
            try (Connection c = SqliteFile.openStore(files.db())) {
                SqliteFile.checkpointFully(c);
            }
        }
        Path copy = files.dataDir().resolve(StoreFiles.STATE_DB + ".pre-migration");
        Files.copy(files.db(), copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        FileOps.makePrivate(copy);
        return new MigrationGuard(files, copy, false, fromVersion);
    }

    /** True when the store is behind this binary (or fresh) and {@link #migrate()} will run Flyway. */
    public boolean pending() {
        return files != null;
    }

    /**
     * Runs the pending migrations, if any; an existing store's logs {@code startup.store_migrated
     * from_version=… to_version=… ms=…}. Throws {@link Refusal} (78, {@code startup.migration_failed})
     * after putting the store back as it was found.
     */
    public void migrate() {
        if (!pending()) {
            return;
        }
        long started = System.nanoTime();
        try {
            Migrator.migrate(files.db());
        } catch (RuntimeException e) {
            throw failed(e);
        }
        committed();
        if (fromVersion > 0) {
            // A long migration (V3 sums every minute sample once) would otherwise be an unexplained slow start.
            Event.of(EventName.STARTUP_STORE_MIGRATED).with("path", files.db()).with("from_version", fromVersion)
                    .with("to_version", Schema.LATEST_VERSION).with("ms", (System.nanoTime() - started) / 1_000_000).info();
        }
    }

    /** The migration succeeded: drop the safety copy. */
    private void committed() {
        if (snapshot != null) {
            try {
                Files.deleteIfExists(snapshot);
            } catch (IOException ignored) {
                // A leftover copy is harmless and named for what it is.
            }
        }
    }

    /** The migration failed: put the store back as it was found and say so (exit 78). */
    private Refusal failed(Throwable cause) {
        String reason = Causes.rootMessage(cause);
        try {
            if (files != null) {
                for (Path sidecar : files.sidecars()) {
                    Files.deleteIfExists(sidecar);
                }
                if (snapshot != null) {
                    Files.move(snapshot, files.db(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else if (removeOnFailure) {
                    Files.deleteIfExists(files.db());
                }
            }
        } catch (IOException e) {
            reason += "; restoring the pre-migration copy failed too: " + e.getMessage() + " (copy kept at " + snapshot + ")";
        }
        return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_MIGRATION_FAILED)
                .with("path", files == null ? "" : files.db())
                .with("from_version", fromVersion)
                .with("to_version", Schema.LATEST_VERSION)
                .with("reason", reason)
                .hint("the store was left as it was; keep running the previous release and report this error"),
                cause);
    }

}
