package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.store.Handle;
import dev.portunus.store.Schema;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Looks at an existing store file without changing it: is it SQLite, is it sound, which schema
 * version does it carry. Shared by {@code serve}'s startup checks and by {@code restore}/{@code verify}
 * on artefacts, so a file is judged the same way wherever it comes from.
 *
 * <p>A file is called corrupt only when SQLite itself says so (a failed check, SQLITE_CORRUPT or
 * SQLITE_NOTADB) on a file this process can read; access, lock and space problems are reported as
 * what they are (see {@link StoreAccess}), never with the "restore it" hint.
 */
public final class StoreInspection {

    /** How a file is judged and what a bad one is called. */
    public record Judgement(EventName corruptEvent, int corruptExit, boolean full, boolean immutable, String hint) {

        /** The live store at {@code serve} start: quick_check, refusal 78 {@code startup.store_corrupt}. */
        public static Judgement liveStore() {
            return new Judgement(EventName.STARTUP_STORE_CORRUPT, Refusal.CONFIG, false, false,
                    "the store will not be re-initialised; if --data-dir is right, restore it from a backup with "
                            + "'portunus-server restore --in <backup> --force'");
        }

        /** A backup artefact: integrity and foreign-key checks, refusal 1 {@code cli.artefact_invalid}. */
        public static Judgement artefact() {
            return new Judgement(EventName.CLI_ARTEFACT_INVALID, Refusal.GENERIC, true, true,
                    "use another backup; 'verify --in <file>' checks one without restoring it");
        }
    }

    private StoreInspection() {
    }

    /**
     * @return the schema version: the highest applied migration, 0 without Flyway history
     */
    public static int inspect(Path file, Judgement j) {
        if (j.immutable()) {
            requireNoLiveSidecar(file);
        }
        try {
            if (!SqliteFile.hasSqliteHeader(file)) {
                throw corrupt(file, j, "not a SQLite database (header mismatch): is --data-dir / --in the right path?");
            }
        } catch (IOException e) {
            if (j.immutable()) {
                StoreAccess.requireReadableArtefact(file);
            }
            throw j.immutable() ? StoreAccess.ioFailure(file, e, EventName.CLI_ARTEFACT_UNREADABLE, Refusal.GENERIC, "nothing was changed")
                    : StoreAccess.storeFailure(file, e);
        }
        try {
            if (j.immutable()) {
                try (Connection c = SqliteFile.openReadOnly(file)) {
                    return judge(file, c, j);
                }
            }
            return readLive(file, h -> judge(file, h.connection(), j));
        } catch (SQLException e) {
            throw sqliteFailure(file, e, j);
        }
    }

    private static int judge(Path file, Connection c, Judgement j) throws SQLException {
        List<String> problems = SqliteFile.check(c, j.full());
        if (!problems.isEmpty()) {
            throw corrupt(file, j, (j.full() ? "integrity_check: " : "quick_check: ")
                    + String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
        }
        if (j.full()) {
            List<String> fk = SqliteFile.foreignKeyViolations(c);
            if (!fk.isEmpty()) {
                throw corrupt(file, j, "foreign_key_check: " + fk.size() + " violations, first " + fk.get(0));
            }
        }
        return SqliteFile.schemaVersion(c);
    }

    /**
     * Runs {@code work} on a read-only connection to the live store {@code db} (committed WAL frames
     * included), without changing the file. A read-only look at a WAL store leaves empty sidecars
     * behind; those this call created are removed again, so the data-dir stays exactly as found. The
     * caller holds the store lock, so nobody else can be using them.
     */
    public static <T> T readLive(Path db, Store.Work<T> work) throws SQLException {
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        Path shm = db.resolveSibling(db.getFileName() + "-shm");
        boolean sidecarsExisted = Files.exists(wal) || Files.exists(shm);
        try (Connection c = SqliteFile.openReadOnlyLive(db)) {
            return work.run(new Handle(c));
        } finally {
            if (!sidecarsExisted) {
                FileOps.deleteQuietly(wal, shm);
            }
        }
    }

    /**
     * An artefact is one self-contained file. A non-empty {@code -wal} beside it means it is a copy of
     * a live store whose newest committed rows are still in the WAL, and a non-empty {@code -journal}
     * an interrupted write: reading the file alone would silently drop those rows, so it is refused.
     */
    public static void requireNoLiveSidecar(Path artefact) {
        for (String suffix : List.of("-wal", "-journal")) {
            Path sidecar = artefact.resolveSibling(artefact.getFileName() + suffix);
            long size;
            try {
                size = Files.exists(sidecar) ? Files.size(sidecar) : 0;
            } catch (IOException e) {
                size = 1; // cannot tell: refuse rather than guess
            }
            if (size > 0) {
                boolean wal = suffix.equals("-wal");
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", artefact)
                        .with("sidecar", sidecar).with("sidecar_bytes", size)
                        .with("reason", wal
                                ? "a non-empty " + sidecar.getFileName() + " lies beside it: committed rows may still be "
                                        + "in that WAL and are not in this file"
                                : "a non-empty " + sidecar.getFileName() + " lies beside it: a write to this file was "
                                        + "interrupted")
                        .hint("this is a copy of a live data-dir, not a backup; make a self-contained artefact from that "
                                + "directory first: 'portunus-server backup --data-dir " + artefact.toAbsolutePath().getParent()
                                + " --out <new file>' (it reads the WAL), then verify or restore the new file"));
            }
        }
    }

    /** Refuses a store or artefact whose schema is newer than this binary understands (exit 78). */
    public static void requireSupportedVersion(int onDisk, Path file) {
        if (onDisk > Schema.LATEST_VERSION) {
            throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_SCHEMA_VERSION_TOO_NEW)
                    .with("path", file)
                    .with("on_disk", onDisk)
                    .with("binary_supports", Schema.LATEST_VERSION)
                    .hint("run a portunus-server release that supports schema " + onDisk
                            + "; this binary never downgrades a store"));
        }
    }

    public static boolean isEmptyFile(Path file) throws IOException {
        return !Files.exists(file) || Files.size(file) == 0;
    }

    /** A SQLite failure while judging {@code file}, by cause: only corruption gets the corrupt event. */
    public static Refusal sqliteFailure(Path file, SQLException e, Judgement j) {
        return switch (StoreAccess.cause(e)) {
            case CORRUPT, NOT_A_DATABASE -> corrupt(file, j, "SQLite: " + e.getMessage());
            case BUSY -> new Refusal(Refusal.IN_USE, Event.of(EventName.STARTUP_STORE_IN_USE).with("path", file)
                    .with("reason", "SQLite stayed busy: " + e.getMessage())
                    .hint("another process holds a lock on it; stop it first"), e);
            case READ_ONLY, CANNOT_OPEN -> {
                if (j.immutable()) {
                    StoreAccess.requireReadableArtefact(file);
                } else {
                    StoreAccess.requireReadWrite(new StoreFiles(file.toAbsolutePath().getParent()));
                }
                yield new Refusal(j.corruptExit(), Event.of(j.immutable() ? EventName.CLI_ARTEFACT_UNREADABLE : EventName.STARTUP_DATA_DIR_UNUSABLE)
                        .with("path", file).with("reason", "SQLite cannot open it: " + e.getMessage())
                        .hint("check the permissions of the file and of its directory"), e);
            }
            case FULL -> new Refusal(j.corruptExit(), Event.of(j.immutable() ? EventName.CLI_ARTEFACT_UNREADABLE : EventName.STARTUP_DATA_DIR_UNUSABLE)
                    .with("path", file).with("reason", "no space left on device")
                    .hint("free space on the filesystem of " + file + " and retry; nothing was changed"), e);
            default -> new Refusal(j.corruptExit(), Event.of(j.immutable() ? EventName.CLI_ARTEFACT_UNREADABLE : EventName.STARTUP_DATA_DIR_UNUSABLE)
                    .with("path", file).with("reason", "SQLite: " + e.getMessage())
                    .hint("nothing was changed; check the file and its filesystem, then retry"), e);
        };
    }

    private static Refusal corrupt(Path file, Judgement j, String reason) {
        return new Refusal(j.corruptExit(), Event.of(j.corruptEvent()).with("path", file).with("reason", reason).hint(j.hint()));
    }
}
