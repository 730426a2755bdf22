package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Launcher;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Data-dir resolution (01-store.md §1), usage errors and the helpers that need no store. */
class CommandLineIT {

    private Path root;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("cli-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    /** The data-dir a command resolved, read from reset's dry-run event (which creates nothing). */
    private static String resolved(CliRun run, String... args) {
        CliRun.Result r = run.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        String line = r.stderr().lines().filter(l -> l.contains("event=cli.reset_")).findFirst().orElseThrow();
        return line.replaceAll(".* path=(\\S+).*", "$1");
    }

    @Test
    void theFlagWinsAndIsAcceptedBeforeOrAfterTheSubcommand() {
        String a = root.resolve("a").toString();
        CliRun run = CliRun.create().env("PORTUNUS_DATA_DIR", root.resolve("env").toString());
        assertEquals(a, resolved(run, "--data-dir", a, "reset"));
        assertEquals(a, resolved(run, "reset", "--data-dir", a));
        assertEquals(a, resolved(run, "reset", "--data-dir=" + a));
    }

    @Test
    void environmentVariablesApplyInOrderAndEmptyOnesAreSkipped() {
        CliRun run = CliRun.create().env("HOME", root.resolve("home").toString());
        assertEquals(root.resolve("home/.local/state/portunus").toString(), resolved(run, "reset"));
        run.env("XDG_STATE_HOME", root.resolve("xdg").toString());
        assertEquals(root.resolve("xdg/portunus").toString(), resolved(run, "reset"));
        run.env("STATE_DIRECTORY", root.resolve("systemd").toString());
        assertEquals(root.resolve("systemd").toString(), resolved(run, "reset"));
        run.env("PORTUNUS_DATA_DIR", root.resolve("portunus").toString());
        assertEquals(root.resolve("portunus").toString(), resolved(run, "reset"));
        run.env("PORTUNUS_DATA_DIR", "").env("STATE_DIRECTORY", "");
        assertEquals(root.resolve("xdg/portunus").toString(), resolved(run, "reset"), "empty variables are skipped");
    }

    @Test
    void unknownFlagsAndCommandsAreUsageErrors() {
        CliRun.Result flag = CliRun.create().run("backup", "--outt", "x", "--data-dir", root.toString());
        assertEquals(2, flag.exitCode(), flag.toString());
        assertTrue(flag.stderr().contains("--out"), "the error names the option: " + flag.stderr());
        CliRun.Result cmd = CliRun.create().run("bakup", "--data-dir", root.toString());
        assertEquals(2, cmd.exitCode(), cmd.toString());
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        CliRun.Result r = CliRun.create().run("--help");
        assertEquals(0, r.exitCode(), r.toString());
        for (String verb : new String[] {"serve", "backup", "verify", "restore", "reset", "audit", "gen-token",
            "import-legacy"}) {
            assertTrue(r.stdout().contains(verb), verb + " in\n" + r.stdout());
        }
    }

    @Test
    void genTokenPrintsAUrlSafeTokenWithAtLeast32BytesOfEntropyAndNeedsNoStore() {
        CliRun run = CliRun.create().env("HOME", null);
        CliRun.Result a = run.run("gen-token");
        CliRun.Result b = run.run("gen-token");
        assertEquals(0, a.exitCode(), a.toString());
        String token = a.stdout().strip();
        assertTrue(token.matches("[A-Za-z0-9_-]{43,}"), token);
        assertNotEquals(token, b.stdout().strip());
    }

    /**
     * The launcher loads SQLite's native library from the app (unpacked at build time), so a
     * command works where java.io.tmpdir is unusable (a read-only or noexec /tmp); the bare jar,
     * whose driver unpacks the library into tmpdir on every start, refuses the same run with 78 and
     * {@code startup.sqlite_unavailable} before it writes anything.
     */
    @Test
    void thePackagedDependencyJarsCarryNoSignatureSoNoClassLoadIsVerified() throws Exception {
        Path lib = CliRun.jar().getParent().resolve("lib/main");
        int jars = 0;
        int bouncyCastle = 0;
        try (var list = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : list) {
                jars++;
                bouncyCastle += jar.getFileName().toString().startsWith("org.bouncycastle.") ? 1 : 0;
                try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile(), false)) {
                    assertTrue(f.stream().noneMatch(e -> e.getName().matches("(?i)META-INF/([^/]+\\.(SF|RSA|DSA|EC)|SIG-[^/]+)")),
                            jar + " is still signed (deploy/lib/UnsignJars.java did not run)");
                }
            }
        }
        assertTrue(jars > 10 && bouncyCastle >= 2, "expected the fast-jar's dependencies in " + lib);
    }

    @Test
    void everythingTheBuildPackagesIsReadableByTheImagesNonRootUser() throws Exception {
        // The image copies target/quarkus-app as it is and runs as uid 10001: a file the build rewrote
        // with a private temporary file's mode (UnsignJars once did) would stop serve in the container only.
        var others = java.util.EnumSet.of(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        var dirs = java.util.EnumSet.of(java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
                java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        java.util.List<String> closed = new java.util.ArrayList<>();
        try (var walk = Files.walk(CliRun.jar().getParent())) {
            walk.forEach(p -> {
                try {
                    var perms = Files.getPosixFilePermissions(p);
                    if (!perms.containsAll(Files.isDirectory(p) ? dirs : others)) {
                        closed.add(p + " " + java.nio.file.attribute.PosixFilePermissions.toString(perms));
                    }
                } catch (java.io.IOException e) {
                    closed.add(p + " " + e);
                }
            });
        }
        assertEquals(java.util.List.of(), closed);
    }

    @Test
    void theLauncherLoadsSqlitesNativeLibraryFromTheAppSoAnUnusableTmpDoesNotMatter() throws Exception {
        Path dataDir = Stores.migrated(root.resolve("data"));
        String noTmp = "-Djava.io.tmpdir=" + root.resolve("no-such-tmp");
        String launcher = Launcher.PATH.toString();

        String launched = Launcher.runToEnd(Map.of("JAVA_OPTS", noTmp), launcher, "backup", "--data-dir", dataDir.toString(),
                "--out", root.resolve("launched.db").toString());
        String bare = Launcher.runToEnd(Map.of(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), noTmp,
                "-jar", CliRun.jar().toString(), "backup", "--data-dir", dataDir.toString(), "--out",
                root.resolve("bare.db").toString());

        assertTrue(launched.startsWith("0\n") && launched.contains("event=cli.backup_complete"), launched);
        assertTrue(Files.exists(root.resolve("launched.db")));
        assertTrue(bare.startsWith("78\n") && bare.contains("event=startup.sqlite_unavailable") && bare.contains("hint="),
                "without the unpacked library, an unusable tmpdir is named as such (not as a store problem): " + bare);
        assertTrue(Files.notExists(root.resolve("bare.db")));
    }

    @Test
    void theLauncherRunsTheSerialCollectorUnlessJavaOptsNamesAnother() throws Exception {
        String launcher = Launcher.PATH.toString();
        String ours = Launcher.runToEnd(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags"), launcher, "--help");
        String theirs = Launcher.runToEnd(Map.of("JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintCommandLineFlags"), launcher, "--help");
        assertTrue(ours.startsWith("0\n") && ours.contains("-XX:+UseSerialGC") && ours.contains("-XX:InitialHeapSize=16777216"), ours);
        // Two collectors would stop the JVM before main: the operator's choice must replace ours.
        assertTrue(theirs.startsWith("0\n") && theirs.contains("-XX:+UseG1GC") && !theirs.contains("UseSerialGC"), theirs);
    }
}
