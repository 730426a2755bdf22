package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code reset [--confirm]} removes exactly the four store files and nothing else. */
class ResetCommandIT {

    private Path dataDir;

    @BeforeEach
    void setUp() throws Exception {
        dataDir = TestFiles.tempDir("reset-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dataDir);
    }

    private void populate() throws Exception {
        Stores.migrated(dataDir);
        // The sidecars as a killed serve would leave them, plus the files reset must keep.
        Files.writeString(dataDir.resolve("state.db-wal"), "");
        Files.writeString(dataDir.resolve("state.db-shm"), "");
        for (String keep : new String[] {"server.crt", "server.key", "server.toml", "notes.txt"}) {
            Files.writeString(dataDir.resolve(keep), keep.equals("server.toml") ? "log_format = \"text\"\n" : keep);
        }
    }

    @Test
    void aDryRunListsEveryPathAndRemovesNothing() throws Exception {
        populate();
        Map<String, String> before = TestFiles.snapshot(dataDir);
        CliRun.Result r = CliRun.create().run("reset", "--data-dir", dataDir.toString());
        assertEquals(0, r.exitCode(), r.toString());
        for (String f : new String[] {"state.db", "state.db-wal", "state.db-shm", "state.db.lock"}) {
            assertTrue(r.stdout().contains("would remove " + dataDir.resolve(f)), r.stdout());
        }
        assertTrue(r.eventLine("cli.reset_dry_run").contains("would_remove=4"), r.toString());
        assertEquals(before, TestFiles.snapshot(dataDir));
    }

    @Test
    void confirmRemovesExactlyTheFourStoreFilesAndKeepsEverythingElse() throws Exception {
        populate();
        Map<String, String> before = TestFiles.snapshot(dataDir);
        CliRun.Result r = CliRun.create().run("reset", "--confirm", "--data-dir", dataDir.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(new TreeSet<>(Set.of("server.crt", "server.key", "server.toml", "notes.txt")),
                new TreeSet<>(TestFiles.snapshot(dataDir).keySet()));
        for (String kept : new String[] {"server.crt", "server.key", "server.toml", "notes.txt"}) {
            assertEquals(before.get(kept), TestFiles.snapshot(dataDir).get(kept), kept + " untouched");
        }
        assertTrue(r.eventLine("cli.reset_complete").contains("removed=4"), r.toString());
    }

    @Test
    void aStateDbThatIsNotSqliteIsRefusedAndKept() throws Exception {
        Files.writeString(dataDir.resolve("state.db"), "my thesis, chapter 1");
        Map<String, String> before = TestFiles.snapshot(dataDir);
        CliRun.Result r = CliRun.create().run("reset", "--confirm", "--data-dir", dataDir.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertNotNull(r.eventLine("cli.reset_refused"), r.toString());
        assertEquals(before, TestFiles.snapshot(dataDir));
    }

    @Test
    void resetRefusesWith75WhileServeRunsAndRemovesNothing() throws Exception {
        try (CliRun.Serving s = CliRun.create().serve(dataDir)) {
            CliRun.Result r = CliRun.create().run("reset", "--confirm", "--data-dir", dataDir.toString());
            assertEquals(75, r.exitCode(), r.toString());
            assertTrue(Files.exists(dataDir.resolve("state.db")));
            assertTrue(s.process().process().isAlive());
        }
    }

    @Test
    void anEmptyOrMissingDataDirIsANoOp() {
        CliRun.Result empty = CliRun.create().run("reset", "--confirm", "--data-dir", dataDir.toString());
        assertEquals(0, empty.exitCode(), empty.toString());
        Path missing = dataDir.resolve("never-created");
        CliRun.Result none = CliRun.create().run("reset", "--confirm", "--data-dir", missing.toString());
        assertEquals(0, none.exitCode(), none.toString());
        assertTrue(!Files.exists(missing), "reset creates nothing");
    }
}
