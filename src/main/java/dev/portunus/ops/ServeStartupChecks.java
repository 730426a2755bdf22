package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.files.ProcessIdentity;
import dev.portunus.ops.legacy.LegacyFile;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.Schema;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The startup checks of {@code serve} (01-store.md §2), in the contract's order, run before Quarkus
 * boots so that no listener opens and no migration touches a store that should be refused.
 * The forward migration, when there is one, runs last and before boot ({@link MigrationGuard}).
 */
public final class ServeStartupChecks {

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
            reportLegacyFiles(files, fresh);
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

    /**
     * Legacy state files in the data-dir (05-legacy.md §9 Q6): a warning while their state has not been
     * imported, an info line naming the import once the store records {@code legacy_imported_at}. The
     * marker is read on a read-only connection that leaves the store as found (the lock is held).
     */
    private static void reportLegacyFiles(StoreFiles files, boolean fresh) throws SQLException {
        List<Path> found = new ArrayList<>();
        for (LegacyFile legacy : LegacyFile.values()) {
            Path path = files.dataDir().resolve(legacy.fileName());
            if (Files.exists(path)) {
                found.add(path);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        Optional<String> importedAt = fresh ? Optional.empty() : StoreInspection.readLive(files.db(),
                h -> SettingsRepository.present(h) ? SettingsRepository.text(h, SettingsRepository.LEGACY_IMPORTED_AT)
                        : Optional.<String>empty());
        for (Path path : found) {
            if (importedAt.isPresent()) {
                Event.of(EventName.STARTUP_LEGACY_FILE_ALREADY_IMPORTED).with("path", path)
                        .with("imported_at", importedAt.get())
                        .hint("import-legacy already carried the legacy state into this store; the file is not read "
                                + "and may be archived")
                        .info();
            } else {
                Event.of(EventName.STARTUP_LEGACY_FILE_FOUND).with("path", path)
                        .hint("this file is not read; carry its state into the store with 'portunus-server import-legacy "
                                + "--dry-run', then without --dry-run, while serve is stopped")
                        .warn();
            }
        }
    }
}
