package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code audit prune --before [--dry-run]}: counts, deletes only older rows, gives space back. */
class AuditPruneCommandIT {

    private Path dataDir;

    @BeforeEach
    void setUp() {
        dataDir = TestFiles.tempDir("prune-");
        Stores.migrated(dataDir);
        // 30 000 entries, one per second from 2026-01-01T00:00:00Z; the cut-off below keeps the last 10 000.
        Sqlite.insertAudit(dataDir.resolve("state.db"), 30_000, "2026-01-01T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dataDir);
    }

    @Test
    void dryRunCountEqualsTheDeletionCountOnlyOlderRowsGoAndFreePagesAreReturned() throws Exception {
        Path db = dataDir.resolve("state.db");
        String cutoff = "2026-01-01T05:33:20Z"; // 20 000 seconds after the first entry
        long sizeBefore = Files.size(db);

        CliRun.Result dry = CliRun.create().run("audit", "prune", "--before", cutoff, "--dry-run", "--data-dir", dataDir.toString());
        assertEquals(0, dry.exitCode(), dry.toString());
        assertEquals("20000", dry.stdout().strip());
        assertEquals(30_000, Sqlite.scalar(db, "SELECT count(*) FROM audit"), "dry run changes nothing");

        CliRun.Result real = CliRun.create().run("audit", "prune", "--data-dir", dataDir.toString(), "--before", cutoff);
        assertEquals(0, real.exitCode(), real.toString());
        assertEquals(dry.stdout().strip(), real.stdout().strip(), "dry-run count equals the deletion count");
        assertTrue(real.eventLine("cli.audit_prune_complete").contains("deleted=20000"), real.toString());
        assertEquals(10_000, Sqlite.scalar(db, "SELECT count(*) FROM audit"));
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM audit WHERE ts < '2026-01-01T05:33:20.000Z'"));
        assertEquals("2026-01-01T05:33:20.000Z", Sqlite.text(db, "SELECT min(ts) FROM audit"), "the cut-off entry itself stays");

        // Incremental vacuum ran: no free pages are left behind and the file shrank.
        Sqlite.exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        assertEquals(0, Sqlite.scalar(db, "PRAGMA freelist_count"));
        assertTrue(Files.size(db) < sizeBefore * 0.6, "file shrank from " + sizeBefore + " to " + Files.size(db));
    }

    @Test
    void pruneWorksBesideARunningServe() {
        try (CliRun.Serving s = CliRun.create().serve(dataDir)) {
            CliRun.Result r = CliRun.create().run("audit", "prune", "--before", "2026-01-01T00:00:10Z", "--data-dir",
                    dataDir.toString());
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("10", r.stdout().strip());
            assertTrue(s.process().process().isAlive());
        }
    }

    @Test
    void anInvalidTimestampIsAUsageErrorAndDeletesNothing() {
        for (String bad : new String[] {"yesterday", "2026-13-01T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00"}) {
            CliRun.Result r = CliRun.create().run("audit", "prune", "--before", bad, "--data-dir", dataDir.toString());
            assertEquals(2, r.exitCode(), bad + ": " + r);
        }
        assertEquals(30_000, Sqlite.scalar(dataDir.resolve("state.db"), "SELECT count(*) FROM audit"));
    }
}
