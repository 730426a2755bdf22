package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code verify --in} judges artefacts without touching any data-dir. */
class VerifyCommandIT {

    private static Path root;
    private static Path artefact;

    @BeforeAll
    static void makeBackup() throws Exception {
        root = TestFiles.tempDir("verify-");
        Path dataDir = root.resolve("data");
        Stores.migrated(dataDir);
        Sqlite.insertAudit(dataDir.resolve("state.db"), 10, "2026-03-01T00:00:00Z");
        artefact = Stores.backup(dataDir, root.resolve("good.db"));
    }

    @AfterAll
    static void cleanUp() {
        TestFiles.deleteTree(root);
    }

    @Test
    void aSoundArtefactPrintsSchemaVersionRowCountsAndAuditSpan() {
        CliRun.Result r = CliRun.create().run("verify", "--in", artefact.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("schema_version: " + dev.portunus.store.Schema.LATEST_VERSION), r.stdout());
        assertTrue(r.stdout().contains("  audit: 10"), r.stdout());
        assertTrue(r.stdout().contains("audit_span: 2026-03-01T00:00:00.000Z .. 2026-03-01T00:00:09.000Z"), r.stdout());
        assertTrue(r.stdout().contains("sha256: matches .sha256"), r.stdout());
    }

    @Test
    void aTruncatedArtefactIsRefused() throws Exception {
        Path truncated = root.resolve("truncated.db");
        byte[] bytes = Files.readAllBytes(artefact);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        CliRun.Result r = CliRun.create().run("verify", "--in", truncated.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertNotNull(r.eventLine("cli.artefact_invalid"), r.toString());
    }

    @Test
    void aNonSqliteFileIsRefused() throws Exception {
        Path text = Files.writeString(root.resolve("notes.db"), "hello");
        CliRun.Result r = CliRun.create().run("verify", "--in", text.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.artefact_invalid").contains("header"), r.toString());
    }

    @Test
    void aChecksumMismatchIsRefused() throws Exception {
        Path copy = root.resolve("tampered.db");
        Files.copy(artefact, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(root.resolve("tampered.db.sha256"), "0".repeat(64) + "  tampered.db\n");
        CliRun.Result r = CliRun.create().run("verify", "--in", copy.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.artefact_invalid").contains("sha256 mismatch"), r.toString());
    }

    /** One past the newest migration this binary ships. */
    private static final int FUTURE = dev.portunus.store.Schema.LATEST_VERSION + 1;

    @Test
    void anArtefactWithANewerSchemaExits78() throws Exception {
        Path newer = root.resolve("newer.db");
        Files.copy(artefact, newer, StandardCopyOption.REPLACE_EXISTING);
        Sqlite.exec(newer, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                + "checksum, installed_by, execution_time, success) VALUES (99, '" + FUTURE + "', 'future', 'SQL', 'V" + FUTURE
                + "__f.sql', 0, 't', 0, 1)");
        CliRun.Result r = CliRun.create().run("verify", "--in", newer.toString());
        assertEquals(78, r.exitCode(), r.toString());
        assertTrue(r.eventLine("startup.schema_version_too_new").contains("on_disk=" + FUTURE + " binary_supports=" + dev.portunus.store.Schema.LATEST_VERSION), r.toString());
    }

    @Test
    void aMissingArtefactIsRefused() {
        CliRun.Result r = CliRun.create().run("verify", "--in", root.resolve("nope.db").toString());
        assertEquals(1, r.exitCode(), r.toString());
    }
}
