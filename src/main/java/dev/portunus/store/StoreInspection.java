package dev.portunus.store;

import dev.portunus.events.Event;
import dev.portunus.events.Refusal;
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
 */
public final class StoreInspection {

    private StoreInspection() {
    }

    /**
     * @param corruptEvent event name for a file that is not SQLite or fails the check
     * @param corruptExit  exit code for that case (78 for the live store, 1 for an artefact)
     * @param full         {@code integrity_check} (artefacts) instead of {@code quick_check}
     * @param immutable    open with {@code immutable=1} (artefacts nobody else writes)
     * @return the schema version: the highest applied migration, 0 without Flyway history
     */
    public static int inspect(Path file, String corruptEvent, int corruptExit, boolean full, boolean immutable,
            String hint) {
        try {
            if (!SqliteFile.hasSqliteHeader(file)) {
                throw corrupt(file, corruptEvent, corruptExit, "not a SQLite database (header mismatch)", hint);
            }
        } catch (IOException e) {
            throw corrupt(file, corruptEvent, corruptExit, "cannot read: " + e.getMessage(), hint);
        }
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        Path shm = file.resolveSibling(file.getFileName() + "-shm");
        boolean sidecarsExisted = Files.exists(wal) || Files.exists(shm);
        try (Connection c = immutable ? SqliteFile.openReadOnly(file) : SqliteFile.openReadOnlyLive(file)) {
            List<String> problems = SqliteFile.check(c, full);
            if (!problems.isEmpty()) {
                throw corrupt(file, corruptEvent, corruptExit, (full ? "integrity_check: " : "quick_check: ")
                        + String.join("; ", problems.subList(0, Math.min(3, problems.size()))), hint);
            }
            if (full) {
                List<String> fk = SqliteFile.foreignKeyViolations(c);
                if (!fk.isEmpty()) {
                    throw corrupt(file, corruptEvent, corruptExit, "foreign_key_check: " + fk.size()
                            + " violations, first " + fk.get(0), hint);
                }
            }
            return SqliteFile.schemaVersion(c);
        } catch (SQLException e) {
            throw corrupt(file, corruptEvent, corruptExit, "cannot open as SQLite: " + e.getMessage(), hint);
        } finally {
            // A read-only look at a WAL store leaves empty sidecars behind; the caller holds the
            // store lock, so nobody else can be using them. A refused store stays exactly as found.
            if (!immutable && !sidecarsExisted) {
                FileOps.deleteQuietly(wal, shm);
            }
        }
    }

    /** Refuses a store or artefact whose schema is newer than this binary understands (exit 78). */
    public static void requireSupportedVersion(int onDisk, Path file) {
        if (onDisk > Schema.LATEST_VERSION) {
            throw new Refusal(Refusal.CONFIG, Event.of("startup.schema_version_too_new")
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

    private static Refusal corrupt(Path file, String event, int exit, String reason, String hint) {
        return new Refusal(exit, Event.of(event).with("path", file).with("reason", reason).hint(hint));
    }
}
