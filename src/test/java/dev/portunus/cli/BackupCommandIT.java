package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code backup --out} (01-store.md §4) from real processes, including beside a busy serve. */
class BackupCommandIT {

    private Path root;
    private Path dataDir;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("backup-");
        dataDir = root.resolve("data");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void backupWhileServeRunsAndAWriterCommitsContinuouslyIsConsistentAndNeverBlocksTheWriter() throws Exception {
        try (CliRun.Serving serving = CliRun.create().serve(dataDir)) {
            Path db = dataDir.resolve("state.db");
            Sqlite.insertAudit(db, 50_000, "2026-01-01T00:00:00Z"); // some MB, so the copy takes real time
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong commits = new AtomicLong();
            AtomicLong worstNanos = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Exception> writerFailure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (Connection c = Sqlite.open(db);
                        PreparedStatement ps = c.prepareStatement("INSERT INTO audit (ts, actor, method, path, outcome) "
                                + "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), 'writer', 'POST', '/v1/x', 'allow')")) {
                    try (var s = c.createStatement()) {
                        s.execute("PRAGMA synchronous=NORMAL");
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!stop.get() && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        ps.executeUpdate(); // autocommit: one commit per row
                        long took = System.nanoTime() - t0;
                        worstNanos.accumulateAndGet(took, Math::max);
                        commits.incrementAndGet();
                    }
                } catch (Exception e) {
                    writerFailure.set(e);
                }
            });
            writer.start();
            Thread.sleep(500);
            // Control window: the same writer beside a command that does not touch the store, so
            // CPU contention from a JVM start (2 cores) is not mistaken for lock waits.
            worstNanos.set(0);
            CliRun.Result control = CliRun.create().run("gen-token");
            assertEquals(0, control.exitCode(), control.toString());
            long controlWorstMs = worstNanos.get() / 1_000_000;
            long commitsBefore = commits.get();
            worstNanos.set(0);
            CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out",
                    root.resolve("backups/").toString() + "/");
            long commitsDuring = commits.get() - commitsBefore;
            long worstMs = worstNanos.get() / 1_000_000;
            stop.set(true);
            writer.join();
            assertEquals(null, writerFailure.get());
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(commitsDuring > 100, "the writer kept committing during the backup: " + commitsDuring);
            assertTrue(worstMs <= controlWorstMs + 100, "the backup never blocked the writer for more than ~100 ms: "
                    + "worst commit " + worstMs + " ms during the backup vs " + controlWorstMs + " ms beside gen-token");
            System.out.printf("writer during backup: %d commits, worst %d ms (control %d ms)%n", commitsDuring, worstMs,
                    controlWorstMs);
            Path artefact = Path.of(r.stdout().strip());
            assertEquals("ok", Sqlite.text(artefact, "PRAGMA integrity_check"));
            long rowsInArtefact = Sqlite.scalar(artefact, "SELECT count(*) FROM audit");
            assertTrue(rowsInArtefact >= 50_000);

            Path restored = root.resolve("restored");
            CliRun.Result rr = CliRun.create().run("restore", "--data-dir", restored.toString(), "--in", artefact.toString());
            assertEquals(0, rr.exitCode(), rr.toString());
            assertEquals(rowsInArtefact, Sqlite.scalar(restored.resolve("state.db"), "SELECT count(*) FROM audit"));
            assertTrue(serving.process().process().isAlive());
        }
    }

    @Test
    void commandModeNeverListensEvenWithTheServersListenAddressesInItsEnvironment() throws Exception {
        // As in the image: both listen addresses come from the environment, for serve and for a
        // backup exec'd into the same container alike.
        int operatorPort = CliRun.freePort();
        int clientPort = CliRun.freePort();
        CliRun env = CliRun.create().env("PORTUNUS_DATA_DIR", dataDir.toString())
                .env("PORTUNUS_OPERATOR_HTTP_LISTEN", "127.0.0.1:" + operatorPort)
                .env("PORTUNUS_CLIENT_LISTEN", "127.0.0.1:" + clientPort);
        try (CliRun.Background serve = env.start("serve")) {
            serve.awaitHttp200("http://127.0.0.1:" + operatorPort + "/q/health/ready", Duration.ofSeconds(60));
            long before = java.time.Instant.now().getEpochSecond();
            CliRun.Result r = env.run("backup", "--out", root.resolve("beside.db").toString());
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(serve.process().isAlive());
            // The running serve reports the backup another process just took.
            String metrics = ServeStartupChecksIT.get("http://127.0.0.1:" + operatorPort + "/q/metrics").body();
            String line = metrics.lines().filter(l -> l.startsWith("portunus_last_backup_timestamp_seconds"))
                    .findFirst().orElseThrow(() -> new AssertionError("no last-backup gauge in\n" + metrics));
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            assertTrue(value >= before && value <= before + 120, line);
        }
    }

    @Test
    void backupToADirectoryWritesATimestampedArtefactWithASha256SumFile() throws Exception {
        Stores.migrated(dataDir);
        Path backups = Files.createDirectories(root.resolve("backups"));
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", backups.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Path artefact = Path.of(r.stdout().strip());
        assertTrue(artefact.isAbsolute());
        assertEquals(backups, artefact.getParent());
        assertTrue(artefact.getFileName().toString().matches("portunus-state-\\d{8}T\\d{6}Z\\.db"), artefact.toString());
        String sum = Files.readString(artefact.resolveSibling(artefact.getFileName() + ".sha256"));
        String sha = dev.portunus.ops.Sha256.ofFile(artefact);
        assertEquals(sha + "  " + artefact.getFileName() + "\n", sum, "sha256sum format");
        String event = r.eventLine("cli.backup_complete");
        assertNotNull(event, r.toString());
        assertTrue(event.contains("path=" + artefact) && event.contains("bytes=" + Files.size(artefact))
                && event.contains("schema_version=" + dev.portunus.store.Schema.LATEST_VERSION) && event.contains("sha256=" + sha), event);
        // Nothing but the artefact and its checksum: no temporary or journal file left behind.
        try (Stream<Path> list = Files.list(backups)) {
            assertEquals(2, list.count());
        }
        // The artefact is one self-contained file (rollback journal, not WAL).
        assertEquals("delete", Sqlite.text(artefact, "PRAGMA journal_mode"));
    }

    @Test
    void backupRefusesToOverwriteAndLeavesTheExistingFileUntouched() throws Exception {
        Stores.migrated(dataDir);
        Path existing = Files.writeString(root.resolve("taken.db"), "precious");
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", existing.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.backup_refused").contains("path=" + existing));
        assertEquals("precious", Files.readString(existing));
        assertFalse(Files.exists(root.resolve("taken.db.sha256")));
    }

    @Test
    void backupOfAMissingOrEmptyStoreExits1() throws Exception {
        CliRun.Result missing = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out",
                root.resolve("x.db").toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertNotNull(missing.eventLine("cli.backup_refused"));
        Files.createDirectories(dataDir);
        Files.createFile(dataDir.resolve("state.db"));
        CliRun.Result empty = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out",
                root.resolve("x.db").toString());
        assertEquals(1, empty.exitCode(), empty.toString());
        assertFalse(Files.exists(root.resolve("x.db")));
    }

    @Test
    void backupWithVerifyChecksTheArtefactBeforePublishing() throws Exception {
        Stores.migrated(dataDir);
        Path out = root.resolve("verified.db");
        CliRun.Result r = CliRun.create().run("backup", "--verify", "--data-dir", dataDir.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(out.toString(), r.stdout().strip());
        CliRun.Result v = CliRun.create().run("verify", "--in", out.toString());
        assertEquals(0, v.exitCode(), v.toString());
    }

    @Test
    void backupWithoutOutIsAUsageError() {
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("--out"), r.stderr());
        assertEquals(List.of(), List.of(r.stdout().strip()).stream().filter(s -> !s.isEmpty()).toList());
    }
}
