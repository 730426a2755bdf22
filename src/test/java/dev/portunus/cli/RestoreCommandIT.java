package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code restore --in [--force]}: every refusal leaves the data-dir byte-identical. */
class RestoreCommandIT {

    private static Path root;
    private static Path artefact;
    private Path dataDir;

    @BeforeAll
    static void makeBackup() {
        root = TestFiles.tempDir("restore-");
        Path source = root.resolve("source");
        Stores.migrated(source);
        Sqlite.insertAudit(source.resolve("state.db"), 1000, "2026-02-01T00:00:00Z");
        artefact = Stores.backup(source, root.resolve("a.db"));
    }

    @AfterAll
    static void cleanUp() {
        TestFiles.deleteTree(root);
    }

    @BeforeEach
    void newDataDir() {
        dataDir = TestFiles.tempDir("restore-target-");
    }

    @Test
    void restoreIntoAnEmptyDataDirCreatesAStoreWithTheArtefactsRowsThatServeAccepts() {
        CliRun.Result r = CliRun.create().run("restore", "--data-dir", dataDir.toString(), "--in", artefact.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertNotNull(r.eventLine("cli.restore_complete"), r.toString());
        assertEquals(1000, Sqlite.scalar(dataDir.resolve("state.db"), "SELECT count(*) FROM audit"));
        assertFalse(Files.exists(dataDir.resolve("state.db.lock.tmp")));
        try (CliRun.Serving s = CliRun.create().serve(dataDir)) {
            assertTrue(s.process().stderr().contains("event=serve.ready"));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "from version {0}")
    @org.junit.jupiter.params.provider.MethodSource("dev.portunus.testing.Stores#olderVersions")
    void anArtefactOfAnOlderSchemaIsMigratedForwardOnRestoreKeepingItsRows(int version) {
        Path old = Stores.olderWithTraffic(root.resolve("v" + version + "-" + System.nanoTime() + ".db"), version);
        CliRun.Result r = CliRun.create().run("restore", "--data-dir", dataDir.toString(), "--in", old.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Path db = dataDir.resolve("state.db");
        assertEquals(dev.portunus.store.Schema.LATEST_VERSION, Stores.schemaVersion(db));
        assertEquals(Stores.OLDER_SAMPLES, Stores.samples(db));
        assertEquals(Stores.OLDER_TOTALS, Stores.totals(db));
    }

    @Test
    void restoreIntoANonEmptyStoreWithoutForceLeavesTheDataDirByteIdenticalAndNamesForce() throws IOException {
        Files.writeString(dataDir.resolve("state.db"), ""); // any size counts, even empty
        Files.writeString(dataDir.resolve("server.toml"), "log_format = \"text\"\n");
        Map<String, String> before = TestFiles.snapshot(dataDir);
        CliRun.Result r = CliRun.create().run("restore", "--data-dir", dataDir.toString(), "--in", artefact.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.restore_refused").contains("--force"), r.toString());
        assertEquals(before, TestFiles.snapshot(dataDir));
    }

    @Test
    void restoreWithForceReplacesTheStoreAndItsStaleWal() throws IOException {
        Path other = root.resolve("other-" + System.nanoTime());
        Stores.migrated(other);
        Files.copy(other.resolve("state.db"), dataDir.resolve("state.db"));
        Files.writeString(dataDir.resolve("state.db-wal"), "stale wal of the old store");
        CliRun.Result r = CliRun.create().run("restore", "--force", "--data-dir", dataDir.toString(), "--in", artefact.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(Files.exists(dataDir.resolve("state.db-wal")), "the old store's WAL is gone");
        assertEquals(1000, Sqlite.scalar(dataDir.resolve("state.db"), "SELECT count(*) FROM audit"));
        assertTrue(r.eventLine("cli.restore_complete").contains("replaced=true"));
    }

    @Test
    void aTruncatedArtefactIsRefusedBeforeAnythingIsTouched() throws IOException {
        Path truncated = root.resolve("truncated-" + System.nanoTime() + ".db");
        byte[] bytes = Files.readAllBytes(artefact);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4096 * 3));
        assertRefusedUntouched(truncated, 1, "cli.artefact_invalid");
    }

    @Test
    void aNonSqliteArtefactIsRefused() throws IOException {
        Path garbage = Files.write(root.resolve("garbage-" + System.nanoTime() + ".db"), new byte[8192]);
        assertRefusedUntouched(garbage, 1, "cli.artefact_invalid");
    }

    @Test
    void anArtefactWithANewerSchemaIsRefusedWith78() throws IOException {
        Path newer = root.resolve("newer-" + System.nanoTime() + ".db");
        Files.copy(artefact, newer);
        Sqlite.exec(newer, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                + "checksum, installed_by, execution_time, success) VALUES (99, '7', 'future', 'SQL', 'V7__f.sql', 0, 't', 0, 1)");
        assertRefusedUntouched(newer, 78, "startup.schema_version_too_new");
    }

    @Test
    void restoreRefusesWith75WhileServeHoldsTheStore() throws IOException {
        Path live = root.resolve("live-" + System.nanoTime());
        try (CliRun.Serving s = CliRun.create().serve(live)) {
            CliRun.Result r = CliRun.create().run("restore", "--force", "--data-dir", live.toString(), "--in", artefact.toString());
            assertEquals(75, r.exitCode(), r.toString());
            assertNotNull(r.eventLine("startup.store_in_use"));
            assertEquals(0, Sqlite.scalar(live.resolve("state.db"), "SELECT count(*) FROM audit"));
        }
    }

    @Test
    void aRestoreThatFailsPartWayLeavesTheDataDirAsItWas() throws Exception {
        // A real disk-full: a small ext4 filesystem that holds the old store but not the artefact.
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to mount a loop filesystem");
        Path img = root.resolve("small-" + System.nanoTime() + ".img");
        Path mnt = Files.createDirectories(root.resolve("mnt-" + System.nanoTime()));
        Path big = root.resolve("big-" + System.nanoTime() + ".db");
        Path src = root.resolve("bigsrc-" + System.nanoTime());
        Stores.migrated(src);
        Sqlite.insertAudit(src.resolve("state.db"), 40_000, "2026-01-01T00:00:00Z");
        Stores.backup(src, big);
        assertEquals(0, sh("truncate", "-s", "8M", img.toString()));
        assertEquals(0, sh("mkfs.ext4", "-q", "-F", img.toString()));
        org.junit.jupiter.api.Assumptions.assumeTrue(sh("mount", "-o", "loop", img.toString(), mnt.toString()) == 0,
                "loop mounts are available here");
        try {
            Path target = Files.createDirectories(mnt.resolve("data"));
            Files.copy(artefact, target.resolve("state.db"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(target.resolve("server.key"), "key");
            assertTrue(Files.size(big) > 8L << 20, "the artefact cannot fit");
            Map<String, String> before = TestFiles.snapshot(target);
            CliRun.Result r = CliRun.create().run("restore", "--force", "--data-dir", target.toString(), "--in", big.toString());
            assertEquals(1, r.exitCode(), r.toString());
            assertNotNull(r.eventLine("cli.restore_failed"), r.toString());
            assertEquals(before, TestFiles.snapshot(target), "data-dir left as it was found");
            assertEquals(1000, Sqlite.scalar(target.resolve("state.db"), "SELECT count(*) FROM audit"));
        } finally {
            sh("umount", mnt.toString());
        }
    }

    private void assertRefusedUntouched(Path in, int exit, String event) {
        Map<String, String> before = TestFiles.snapshot(dataDir);
        CliRun.Result r = CliRun.create().run("restore", "--data-dir", dataDir.toString(), "--in", in.toString());
        assertEquals(exit, r.exitCode(), r.toString());
        assertNotNull(r.eventLine(event), r.toString());
        assertEquals(before, TestFiles.snapshot(dataDir), "data-dir untouched");
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
