package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Privileged;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, kind 1: {@code backup} never reports success for an artefact it did not check. Every
 * result of the backup API and every file operation is checked; a published artefact is non-empty,
 * SQLite, page-exact, at schema ≥ 1 and sound, whatever {@code --verify} says; on any failure the
 * exit is 1 and nothing stays under the final name (nor under a temporary one).
 */
class BackupPublishesOnlyGoodArtefactsIT {

    private Path root;
    private Path dataDir;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("backup-edges-");
        dataDir = Stores.migrated(root.resolve("data"));
        Sqlite.insertAudit(dataDir.resolve("state.db"), 2_000, "2026-01-01T00:00:00Z"); // ~1 MB of pages
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void aFullDestinationFailsWithExit1AndPublishesNothingWithOrWithoutVerify() {
        Privileged.assumeRoot();
        try (Privileged.LoopFs fs = Privileged.LoopFs.mount(root.resolve("small"), 1024)) {
            fs.fillLeaving(100);
            List<String> before = Privileged.names(fs.path());
            for (List<String> flags : List.of(List.of("--verify"), List.<String>of())) {
                List<String> args = new java.util.ArrayList<>(List.of("backup", "--data-dir", dataDir.toString(),
                        "--out", fs.path() + "/"));
                args.addAll(flags);
                CliRun.Result r = CliRun.create().run(args.toArray(String[]::new));
                assertEquals(1, r.exitCode(), flags + ": " + r);
                String line = r.eventLine("cli.backup_failed");
                assertNotNull(line, r.toString());
                assertTrue(line.contains("no space left") || line.contains("SQLITE_FULL"), line);
                assertTrue(r.stdout().isBlank(), "no artefact path is printed: " + r.stdout());
                assertEquals(before, Privileged.names(fs.path()), "nothing published, no temporary file left");
            }
        }
    }

    @Test
    void aReadOnlyDestinationIsNamedAsSuch() {
        Privileged.assumeRoot();
        Path target = root.resolve("backups");
        Path ro = root.resolve("backups-ro");
        try (AutoCloseable mount = Privileged.bindReadOnly(Files.createDirectories(target), ro)) {
            CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", ro + "/");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("read-only"), r.toString());
            assertEquals(List.of(), Privileged.names(ro));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStoreWithoutSchemaHistoryIsNotBackedUp() throws Exception {
        Path bare = root.resolve("bare");
        Files.createDirectories(bare);
        Sqlite.exec(bare.resolve("state.db"), "CREATE TABLE t (x INTEGER)");
        Path out = root.resolve("out");
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", bare.toString(), "--out", out + "/", "--verify");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.backup_failed").contains("no schema history"), r.toString());
        assertEquals(List.of(), Privileged.names(out));
    }

    @Test
    void aDamagedStoreIsNotBackedUpEvenWithoutVerify() throws Exception {
        Path db = dataDir.resolve("state.db");
        long pageSize = Sqlite.scalar(db, "PRAGMA page_size");
        // Overwrite a b-tree page in the middle with garbage: the header stays, the pages do not.
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            long page = f.length() / pageSize / 2;
            f.seek(page * pageSize);
            f.write(new byte[(int) pageSize * 4]);
            f.seek(page * pageSize);
            f.write("garbage".repeat(100).getBytes());
        }
        Path out = root.resolve("out");
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", out + "/");
        assertEquals(1, r.exitCode(), r.toString());
        assertNotNull(r.eventLine("cli.backup_failed"), r.toString());
        assertTrue(!Files.exists(out) || Privileged.names(out).isEmpty(), "nothing published");
    }

    @Test
    void aPublishedArtefactIsCompleteAndItsChecksumMatches() throws Exception {
        Path out = root.resolve("out");
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", out + "/");
        assertEquals(0, r.exitCode(), r.toString());
        Path artefact = Path.of(r.stdout().strip());
        long pageCount = Sqlite.scalar(artefact, "PRAGMA page_count");
        long pageSize = Sqlite.scalar(artefact, "PRAGMA page_size");
        assertEquals(pageCount * pageSize, Files.size(artefact));
        assertTrue(r.eventLine("cli.backup_complete").contains("schema_version=" + dev.portunus.store.Schema.LATEST_VERSION), r.toString());
        assertEquals(2_000, Sqlite.scalar(artefact, "SELECT count(*) FROM audit"));
        String sum = Files.readString(Path.of(artefact + ".sha256")).split(" ")[0];
        assertEquals(dev.portunus.ops.Sha256.ofFile(artefact), sum);
        CliRun.Result verify = CliRun.create().run("verify", "--in", artefact.toString());
        assertEquals(0, verify.exitCode(), verify.toString());
        assertEquals(List.of(artefact.getFileName().toString(), artefact.getFileName() + ".sha256"), Privileged.names(out));
    }
}
