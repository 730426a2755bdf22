package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.files.ProcessIdentity;
import dev.portunus.store.Schema;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * The startup checks of {@code serve} (01-store.md §2), in the contract's order, run before Quarkus
 * boots so that no listener opens and no migration touches a store that should be refused.
 * Migrations themselves run during boot (Flyway), guarded by {@link MigrationGuard}.
 */
public final class ServeStartupChecks {

    private static final List<String> LEGACY_FILES = List.of("tokens.json", "identity.json", "rules.json");

    private ServeStartupChecks() {
    }

    /** Checks 1-3: the data-dir is usable, local, and (warning only) not on a container's own layer. */
    public static void checkDataDir(Path dataDir) {
        StoreAccess.ensureUsable(dataDir);
        FilesystemGuard.requireLocal(dataDir);
        if (FilesystemGuard.isEphemeralOverlay(dataDir)) {
            Event.of(EventName.STARTUP_EPHEMERAL_DATA_DIR).with("path", dataDir)
                    .hint("no volume is mounted here: the store will vanish with the container; "
                            + "mount a volume at " + dataDir)
                    .warn();
        }
    }

    /**
     * The {@code backup_dir} of 07-scheduled-backups.md §1, when set: its filesystem
     * ({@link FilesystemGuard#requireBackupDir}), then created 0700 when missing. Throws
     * {@link Refusal} (78) when it cannot be created.
     */
    public static void checkBackupDir(Path backupDir, boolean allowNetwork, Path dataDir) {
        FilesystemGuard.requireBackupDir(backupDir, allowNetwork, dataDir);
        try {
            FileOps.createPrivateDirectories(backupDir);
        } catch (IOException e) {
            throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_BACKUP_DIR_UNUSABLE).with("path", backupDir)
                    .with("reason", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .hint("create it, writable by this user (" + ProcessIdentity.owner()
                            + "), or point backup_dir elsewhere"));
        }
    }

    /**
     * Checks 4-9: lock, store sanity, schema version, legacy files, fresh store. Returns the guard
     * that undoes a failed migration. Throws {@link Refusal}.
     */
    public static MigrationGuard checkStore(Path dataDir) {
        StoreFiles files = new StoreFiles(dataDir);
        StoreAccess.requireReadWrite(files);
        StoreLock.acquire(files, "serve");
        try {
            boolean fresh = StoreInspection.isEmptyFile(files.db());
            MigrationGuard guard;
            if (fresh) {
                guard = MigrationGuard.forFreshStore(files);
            } else {
                int schemaVersion = StoreInspection.inspect(files.db(), StoreInspection.Judgement.liveStore());
                StoreInspection.requireSupportedVersion(schemaVersion, files.db());
                guard = schemaVersion < Schema.LATEST_VERSION
                        ? MigrationGuard.snapshotBeforeMigrating(files, schemaVersion)
                        : MigrationGuard.none();
            }
            for (String legacy : LEGACY_FILES) {
                Path path = dataDir.resolve(legacy);
                if (Files.exists(path)) {
                    Event.of(EventName.STARTUP_LEGACY_FILE_FOUND).with("path", path)
                            .hint("this file is not read any more; its contents belong in the SQLite store")
                            .warn();
                }
            }
            if (fresh) {
                Files.deleteIfExists(files.db());
                SqliteFile.createEmpty(files.db());
                Event.of(EventName.STARTUP_FRESH_STORE).with("path", files.db()).info();
            }
            return guard;
        } catch (IOException e) {
            throw StoreAccess.storeFailure(dataDir, e);
        } catch (SQLException e) {
            throw StoreInspection.sqliteFailure(files.db(), e, StoreInspection.Judgement.liveStore());
        }
    }
}
