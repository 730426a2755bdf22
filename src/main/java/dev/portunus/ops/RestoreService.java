package dev.portunus.ops;

import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.store.Migrator;
import dev.portunus.store.Schema;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code restore --in}: checks the artefact, copies it into the data-dir under a temporary name,
 * migrates that copy forward, and only then renames it over {@code state.db}. Every failure before
 * the rename leaves the data-dir as it was found; the rename itself is atomic.
 */
public final class RestoreService {

    public record Result(Path db, int fromVersion, int toVersion, boolean replaced) {
    }

    private RestoreService() {
    }

    public static Result restore(StoreFiles files, Path artefact, boolean force) {
        VerifyService.Summary summary = VerifyService.verify(artefact);
        Path dataDir = files.dataDir();
        if (StoreLock.heldElsewhere(files)) {
            throw StoreLock.inUse(files, "restore");
        }
        if (Files.exists(files.db()) && !force) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_RESTORE_REFUSED).with("path", files.db())
                    .with("reason", "the data-dir already holds a store; nothing was changed")
                    .hint("pass --force to replace it (take a 'backup' of it first), or restore into an empty --data-dir"));
        }
        StoreAccess.ensureUsable(dataDir);
        FilesystemGuard.requireLocal(dataDir);
        StoreAccess.requireReadWrite(files);
        boolean replaced = Files.exists(files.db());
        long pid = ProcessHandle.current().pid();
        Path tmp = dataDir.resolve("." + StoreFiles.STATE_DB + ".restore-" + pid);
        Path walAside = dataDir.resolve("." + StoreFiles.STATE_DB + "-wal.pre-restore-" + pid);
        boolean lockFileExisted = Files.exists(files.lock());
        boolean published = false;
        try (StoreLock lock = StoreLock.acquire(files, "restore")) {
            try {
                Files.deleteIfExists(tmp);
                FileOps.createPrivateFile(tmp);
                // Into the 0600 file already there: the store never inherits the artefact's mode (say 0444).
                try (FileChannel from = FileChannel.open(summary.artefact(), StandardOpenOption.READ);
                        FileChannel to = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    long size = from.size();
                    for (long done = 0; done < size; ) {
                        done += from.transferTo(done, size - done, to);
                    }
                }
                if (summary.schemaVersion() < Schema.LATEST_VERSION) {
                    Migrator.migrate(tmp);
                }
                FileOps.fsync(tmp);
                // The old store's WAL must not be replayed onto the new file: move it aside first,
                // so a failed rename can still put it back.
                if (Files.exists(files.wal())) {
                    Files.move(files.wal(), walAside, StandardCopyOption.ATOMIC_MOVE);
                }
                try {
                    FileOps.publishReplacing(tmp, files.db());
                } catch (IOException e) {
                    if (Files.exists(walAside)) {
                        Files.move(walAside, files.wal(), StandardCopyOption.ATOMIC_MOVE);
                    }
                    throw e;
                }
                published = true;
                Files.deleteIfExists(walAside);
                Files.deleteIfExists(files.shm());
                return new Result(files.db(), summary.schemaVersion(), Math.max(summary.schemaVersion(),
                        Schema.LATEST_VERSION), replaced);
            } catch (IOException e) {
                throw StoreAccess.ioFailure(files.db(), e, EventName.CLI_RESTORE_FAILED, Refusal.GENERIC,
                        "the data-dir was left as it was");
            } catch (org.flywaydb.core.api.FlywayException e) {
                throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_MIGRATION_FAILED).with("path", artefact)
                        .with("from_version", summary.schemaVersion()).with("to_version", Schema.LATEST_VERSION)
                        .with("reason", Causes.rootMessage(e))
                        .hint("the data-dir was left as it was; this artefact cannot be migrated by this release"), e);
            } finally {
                if (!published && !lockFileExisted) {
                    FileOps.deleteQuietly(files.lock());
                }
                FileOps.deleteQuietly(tmp, tmp.resolveSibling(tmp.getFileName() + "-wal"),
                        tmp.resolveSibling(tmp.getFileName() + "-shm"), tmp.resolveSibling(tmp.getFileName() + "-journal"));
            }
        }
    }
}
