package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Privileged;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, kind 4: every file and directory the product creates gets its mode set explicitly,
 * independent of the umask and of an input's mode: directories 0700, store files, artefacts,
 * checksums and keys 0600 (the certificate 0644). Processes run under {@code umask 000}, the
 * setting that exposed the inherited modes.
 */
class CreatedFileModesIT {

    private static final String DIR = "rwx------";
    private static final String FILE = "rw-------";

    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = TestFiles.tempDir("modes-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void serveUnderUmask000CreatesAPrivateDataDirStoreSidecarsLockAndKey() {
        Path dataDir = root.resolve("a/b/data");
        try (CliRun.Serving serving = CliRun.create().umask("000").serve(dataDir)) {
            Map<String, String> modes = modes(root);
            assertEquals(DIR, modes.get("a"));
            assertEquals(DIR, modes.get("a/b"));
            assertEquals(DIR, modes.get("a/b/data"));
            for (String f : new String[] {"state.db", "state.db.lock", "server.key"}) {
                assertEquals(FILE, modes.get("a/b/data/" + f), f + " in " + modes);
            }
            // SQLite gives its sidecars the database file's mode while a connection is open.
            for (String f : new String[] {"state.db-wal", "state.db-shm"}) {
                assertTrue(modes.get("a/b/data/" + f) == null || FILE.equals(modes.get("a/b/data/" + f)), f + " in " + modes);
            }
            assertEquals("rw-r--r--", modes.get("a/b/data/server.crt"));
            assertEquals(0, serving.process().terminate(Duration.ofSeconds(30)).exitCode());
        }
    }

    @Test
    void backupUnderUmask000CreatesPrivateDirectoriesArtefactAndChecksum() {
        Path dataDir = Stores.migrated(root.resolve("data"));
        CliRun.Result r = CliRun.create().umask("000").run("backup", "--data-dir", dataDir.toString(),
                "--out", root.resolve("x/y") + "/");
        assertEquals(0, r.exitCode(), r.toString());
        Path artefact = Path.of(r.stdout().strip());
        Map<String, String> modes = modes(root.resolve("x"));
        assertEquals(Map.of("", DIR, "y", DIR, "y/" + artefact.getFileName(), FILE,
                "y/" + artefact.getFileName() + ".sha256", FILE), modes);
    }

    @Test
    void restoreOfAReadOnlyArtefactGivesAWritablePrivateStore() throws IOException {
        Path artefact = Stores.backup(Stores.migrated(root.resolve("data")), root.resolve("a.db"));
        Files.setPosixFilePermissions(artefact, PosixFilePermissions.fromString("r--r--r--"));
        Path target = root.resolve("new/data");
        CliRun.Result r = CliRun.create().umask("000").run("restore", "--data-dir", target.toString(), "--in", artefact.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Map<String, String> modes = modes(root.resolve("new"));
        assertEquals(DIR, modes.get(""));
        assertEquals(DIR, modes.get("data"));
        assertEquals(FILE, modes.get("data/state.db"));
        assertTrue(modes.keySet().stream().noneMatch(k -> k.contains(".restore-")), "no temporary file left: " + modes);
    }

    @Test
    void asRootNewFilesInTheServiceUsersDirectoryBelongToThatUser() throws IOException {
        Privileged.assumeRoot();
        Path dataDir = Stores.migrated(root.resolve("data"));
        Path backups = Files.createDirectories(root.resolve("backups"));
        Privileged.chown(backups, Privileged.SERVICE_UID, Privileged.SERVICE_UID);
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", backups + "/");
        assertEquals(0, r.exitCode(), r.toString());
        Path artefact = Path.of(r.stdout().strip());
        assertEquals(Privileged.SERVICE_UID, Files.getAttribute(artefact, "unix:uid"));
        assertEquals(Privileged.SERVICE_UID, Files.getAttribute(Path.of(artefact + ".sha256"), "unix:uid"));
        Path target = Files.createDirectories(root.resolve("restored"));
        Privileged.chown(target, Privileged.SERVICE_UID, Privileged.SERVICE_UID);
        CliRun.Result restored = CliRun.create().run("restore", "--data-dir", target.toString(), "--in", artefact.toString());
        assertEquals(0, restored.exitCode(), restored.toString());
        assertEquals(Privileged.SERVICE_UID, Files.getAttribute(target.resolve("state.db"), "unix:uid"));
        assertEquals(Privileged.SERVICE_UID, Files.getAttribute(target.resolve("state.db.lock"), "unix:uid"));
    }

    @Test
    void enrollUnderUmask000WritesAPrivateBundleInPrivateDirectories() throws Exception {
        int clientPort = CliRun.freePort();
        try (dev.portunus.testing.ClientProcessSupport.Server server = dev.portunus.testing.ClientProcessSupport.serve(
                root.resolve("data"), CliRun.freePort(), clientPort)) {
            var enrollment = server.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "edge"));
            Path home = Files.createDirectories(root.resolve("home"));
            Map<String, String> env = dev.portunus.testing.ClientProcessSupport.cleanEnv();
            env.put("HOME", home.toString());
            CliRun.Result r = CliRun.create().environment(env).in(home).umask("000").run("client", "enroll",
                    dev.portunus.testing.ClientProcessSupport.enrollUri(enrollment));
            assertEquals(0, r.exitCode(), r.toString());
            Map<String, String> modes = modes(home);
            assertEquals(DIR, modes.get(".config"), modes.toString());
            assertEquals(DIR, modes.get(".config/portunus"), modes.toString());
            assertEquals(FILE, modes.get(".config/portunus/client.bundle.json"), modes.toString());
        }
    }

    /** Relative path → rwx string of everything under {@code dir} ("" is {@code dir} itself). */
    static Map<String, String> modes(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                out.put(dir.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
