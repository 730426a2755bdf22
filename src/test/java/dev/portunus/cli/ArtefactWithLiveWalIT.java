package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.ServerProcess;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, kind 3: an artefact is one self-contained file. A copy of a data-dir taken from a
 * {@code serve} killed with -9 keeps committed rows in {@code state.db-wal}; {@code verify} and
 * {@code restore} must refuse it naming that file and the way out ({@code backup --data-dir}),
 * never silently judge or restore the stale main file.
 */
class ArtefactWithLiveWalIT {

    private Path root;
    private Path copy;

    @BeforeEach
    void setUp() throws Exception {
        root = TestFiles.tempDir("live-wal-");
        Path dataDir = root.resolve("data");
        try (ServerProcess server = ServerProcess.start(dataDir)) {
            for (String id : new String[] {"alice", "bob", "carol"}) {
                assertEquals(201, server.operator("POST", "/v1/users", "{\"user_id\":\"" + id + "\",\"display_name\":\"" + id + "\"}")
                        .statusCode());
            }
            server.kill9(); // -9: the rows are committed, but only in the WAL
        }
        assertTrue(Files.size(dataDir.resolve("state.db-wal")) > 0, "the fixture needs a live WAL");
        copy = Files.createDirectories(root.resolve("copy"));
        for (String name : new String[] {"state.db", "state.db-wal"}) {
            Files.copy(dataDir.resolve(name), copy.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void verifyRefusesNamingTheWalAndTheWayOut() {
        CliRun.Result r = CliRun.create().run("verify", "--in", copy.resolve("state.db").toString());
        assertEquals(1, r.exitCode(), r.toString());
        String line = r.eventLine("cli.artefact_invalid");
        assertNotNull(line, r.toString());
        assertTrue(line.contains("sidecar=" + copy.resolve("state.db-wal")), line);
        assertTrue(line.contains("backup --data-dir " + copy), line);
        assertFalse(line.contains("not a Portunus store") || line.contains("flyway_schema_history"), line);
    }

    @Test
    void restoreRefusesAndLeavesTheDataDirAsItWas() {
        Path target = root.resolve("target");
        CliRun.Result r = CliRun.create().run("restore", "--data-dir", target.toString(), "--in",
                copy.resolve("state.db").toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertNotNull(r.eventLine("cli.artefact_invalid"), r.toString());
        assertFalse(Files.exists(target.resolve("state.db")));
    }

    @Test
    void aHotJournalBesideAnArtefactIsRefusedToo() throws Exception {
        Path artefact = dev.portunus.testing.Stores.backup(copy, root.resolve("a.db"));
        Files.writeString(Path.of(artefact + "-journal"), "interrupted");
        CliRun.Result r = CliRun.create().run("verify", "--in", artefact.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.artefact_invalid").contains("-journal"), r.toString());
    }

    @Test
    void backupOfTheCopiedDirectoryFoldsTheWalInAndThatArtefactRestoresEveryRow() {
        Map<String, String> before = TestFiles.snapshot(copy);
        Path artefact = dev.portunus.testing.Stores.backup(copy, root.resolve("folded.db"));
        assertEquals(3, Sqlite.scalar(artefact, "SELECT count(*) FROM users"));
        assertEquals(0, CliRun.create().run("verify", "--in", artefact.toString()).exitCode());
        Path target = root.resolve("restored");
        CliRun.Result restored = CliRun.create().run("restore", "--data-dir", target.toString(), "--in", artefact.toString());
        assertEquals(0, restored.exitCode(), restored.toString());
        assertEquals(3, Sqlite.scalar(target.resolve("state.db"), "SELECT count(*) FROM users"));
        assertFalse(before.isEmpty());
    }
}
