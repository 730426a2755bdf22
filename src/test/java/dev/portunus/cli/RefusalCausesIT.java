package dev.portunus.cli;

import static dev.portunus.testing.Privileged.SERVICE_UID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Privileged;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, kind 2: a failure is reported by its cause (ownership, mode, read-only mount) with the
 * path, the user that needs access and a fix that loses nothing; never as corruption with the
 * "restore --force" hint that would replace a healthy store. Real processes as the image's service
 * user (uid 10001, via setpriv) on a store made by root — the {@code kubectl exec} as root mistake.
 */
class RefusalCausesIT {

    private Path root;
    private Path dataDir;

    @BeforeEach
    void setUp() {
        Privileged.assumeRoot();
        root = TestFiles.tempDir("causes-");
        dataDir = Stores.migrated(root.resolve("data"));
        Privileged.traversable(root);
        Privileged.chown(dataDir, SERVICE_UID, SERVICE_UID);
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void aRootOwnedStoreIsPermissionDeniedWithAChownFixNeverCorrupt() throws Exception {
        Privileged.run("chown", "0:0", dataDir.resolve("state.db").toString());
        String line = refusedUntouched(78, "startup.store_permission_denied", "serve");
        assertTrue(line.contains("path=" + dataDir.resolve("state.db")), line);
        assertTrue(line.contains("owner=0:0") && line.contains("process=10001:10001"), line);
        assertTrue(line.contains("chown 10001:10001"), "the fix names the user that needs access: " + line);
    }

    @Test
    void aRootOwnedReadableStoreIsPermissionDeniedNotAnUnexplainedStartupFailure() throws Exception {
        Privileged.run("chown", "0:0", dataDir.resolve("state.db").toString());
        Files.setPosixFilePermissions(dataDir.resolve("state.db"), PosixFilePermissions.fromString("rw-r--r--"));
        String line = refusedUntouched(78, "startup.store_permission_denied", "serve");
        assertTrue(line.contains("need=write") && line.contains("mode=0644"), line);
    }

    @Test
    void anOwnedStoreWithoutTheWriteBitIsNotWritableWithAChmodFix() throws Exception {
        Files.setPosixFilePermissions(dataDir.resolve("state.db"), PosixFilePermissions.fromString("r--------"));
        String line = refusedUntouched(78, "startup.store_not_writable", "serve");
        assertTrue(line.contains("chmod 600 " + dataDir.resolve("state.db")), line);
    }

    @Test
    void aRootOwnedLockFileIsNamed() throws Exception {
        Path lock = dataDir.resolve("state.db.lock");
        Files.deleteIfExists(lock);
        Files.createFile(lock);
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-------"));
        String line = refusedUntouched(78, "startup.store_permission_denied", "serve");
        assertTrue(line.contains("path=" + lock), line);
    }

    @Test
    void aDataDirOwnedByAnotherUserIsPermissionDenied() throws Exception {
        Privileged.run("chown", "0:0", dataDir.toString());
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String line = refusedUntouched(78, "startup.store_permission_denied", "serve");
        assertTrue(line.contains("path=" + dataDir + " "), line);
        assertTrue(line.contains("chown -R 10001:10001 " + dataDir), line);
    }

    @Test
    void aReadOnlyMountIsNotWritableWithAMountFix() throws Exception {
        Path mounted = root.resolve("ro");
        try (AutoCloseable ro = Privileged.bindReadOnly(dataDir, mounted)) {
            Map<String, String> before = TestFiles.snapshot(mounted);
            CliRun.Result r = serviceUser().run("serve", "--data-dir", mounted.toString(),
                    "--operator-http-listen", "127.0.0.1:" + CliRun.freePort());
            assertEquals(78, r.exitCode(), r.toString());
            String line = r.eventLine("startup.store_not_writable");
            assertNotNull(line, r.toString());
            assertTrue(line.contains("read-only") && line.contains("read-write"), line);
            assertEquals(before, TestFiles.snapshot(mounted));
        }
    }

    @Test
    void everyStoreCommandNamesTheOwnershipProblemAndChangesNothing() throws Exception {
        Path artefact = Stores.backup(dataDir, root.resolve("artefact.db"));
        Privileged.run("chmod", "a+r", artefact.toString(), artefact + ".sha256");
        Privileged.run("chown", "0:0", dataDir.resolve("state.db").toString());
        for (List<String> command : List.of(
                List.of("backup", "--out", root.resolve("out.db").toString()),
                List.of("restore", "--force", "--in", artefact.toString()),
                List.of("reset", "--confirm"),
                List.of("audit", "prune", "--before", "2030-01-01T00:00:00Z"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--data-dir", dataDir.toString()))
                    .toArray(String[]::new);
            Map<String, String> before = TestFiles.snapshot(dataDir);
            CliRun.Result r = serviceUser().run(args);
            assertEquals(78, r.exitCode(), command + ": " + r);
            assertNotNull(r.eventLine("startup.store_permission_denied"), command + ": " + r);
            assertTrue(r.stderr().contains("chown 10001:10001"), r.toString());
            assertFalse(r.stderr().contains("store_corrupt") || r.stderr().contains("restore --in"), r.toString());
            assertEquals(before, TestFiles.snapshot(dataDir), command + " left the data-dir byte-identical");
        }
        CliRun.Result userAdd = serviceUser().runWithStdin("password-123\n", "user-add", "bob", "--display-name", "Bob",
                "--password-stdin", "--data-dir", dataDir.toString());
        assertEquals(78, userAdd.exitCode(), userAdd.toString());
        assertNotNull(userAdd.eventLine("startup.store_permission_denied"), userAdd.toString());
        assertFalse(Files.exists(root.resolve("out.db")));
    }

    private static CliRun serviceUser() {
        return CliRun.create().asUser(SERVICE_UID, SERVICE_UID);
    }

    /** Runs {@code command} as the service user; asserts exit and event; the data-dir stays byte-identical. */
    private String refusedUntouched(int exit, String event, String command) {
        Map<String, String> before = TestFiles.snapshot(dataDir);
        CliRun.Result r = serviceUser().run(command, "--data-dir", dataDir.toString(),
                "--operator-http-listen", "127.0.0.1:" + CliRun.freePort(), "--client-listen", "127.0.0.1:0");
        assertEquals(exit, r.exitCode(), r.toString());
        String line = r.eventLine(event);
        assertNotNull(line, r.toString());
        assertTrue(line.contains("hint="), line);
        assertFalse(r.stderr().contains("store_corrupt") || r.stderr().contains("startup.failed")
                || r.stderr().contains("restore --in"), "never called corrupt, never the restore hint: " + r);
        assertEquals(before, TestFiles.snapshot(dataDir), "data-dir byte-identical after the refusal");
        return line;
    }
}
