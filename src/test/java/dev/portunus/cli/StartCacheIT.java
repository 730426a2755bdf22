package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Launcher;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up cache that {@code mvn package} trains (deploy/lib/start-cache.sh) and that
 * deploy/bin/portunus-server starts from (README "Which JVM runs it", issue 10): JDK AOT caches when
 * the machine has a JDK 25 or later, else a class-data-sharing archive; the java that made them is
 * the one the launcher runs, unless JAVA_HOME names another.
 */
class StartCacheIT {

    private static final Path LAUNCHER = Launcher.PATH;
    private static final Path SCRIPT = Path.of("deploy/lib/start-cache.sh").toAbsolutePath();

    private Path root;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("start-cache-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void theBuildMadeTheCacheThisMachinesNewestJdkCanUse() throws Exception {
        Path app = CliRun.jar().getParent();
        if (newestJdk25OrLater().isPresent()) {
            for (String f : List.of("portunus-serve.aot", "portunus-command.aot", "portunus-java")) {
                assertTrue(Files.size(app.resolve(f)) > 0, f + " missing in " + app);
            }
            Path java = Path.of(Files.readString(app.resolve("portunus-java")).strip());
            assertTrue(featureVersion(java) >= 25, "portunus-java names " + java);
            assertFalse(Files.exists(app.resolve("portunus-cds.jsa")), "a stale CDS archive beside the AOT caches");
        } else {
            assertTrue(Files.size(app.resolve("portunus-cds.jsa")) > 0, "no CDS archive in " + app);
        }
    }

    @Test
    void serveAndCommandsStartFromTheirOwnAotCacheWithoutAWordOnStderr() throws Exception {
        Path app = CliRun.jar().getParent();
        if (!Files.exists(app.resolve("portunus-serve.aot"))) {
            return; // no JDK 25 here: theBuildMadeTheCacheThisMachinesNewestJdkCanUse pins the CDS archive instead
        }
        // AOTMode=on makes the JVM refuse to start when it cannot use the cache it is given.
        Map<String, String> strict = Map.of("JAVA_OPTS", "-XX:AOTMode=on");
        String help = Launcher.runToEnd(strict, LAUNCHER.toString(), "--help");
        assertTrue(help.startsWith("0\n") && help.contains("Usage: portunus-server"), help);
        assertFalse(help.contains("WARNING"), "the JVM warned (native access?): " + help);

        Path data = root.resolve("data");
        Path log = root.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "serve", "--data-dir", data.toString(),
                "--operator-http-listen", "127.0.0.1:0", "--client-listen", "127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JAVA_") || k.startsWith("PORTUNUS_"));
        pb.environment().putAll(strict);
        Process serve = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("event=serve.ready") && serve.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(log).contains("event=serve.ready"), Files.readString(log));
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, serve.exitValue(), Files.readString(log));
        String served = Files.readString(log);
        assertFalse(served.contains("WARNING:") || served.contains("[warning]"), served);

        Map<String, String> printFlags = Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        String flags = Launcher.runToEnd(printFlags, LAUNCHER.toString(), "--help");
        assertTrue(flags.contains("portunus-command.aot") && !flags.contains("portunus-serve.aot"),
                "a command gets the commands' cache, not serve's: " + flags);
        for (List<String> serveArgs : List.of(List.of("serve", "--help"), List.of("--data-dir", data.toString(), "serve", "--help"),
                List.of("--data-dir=" + data, "serve", "--help"))) {
            List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
            cmd.addAll(serveArgs);
            String served2 = Launcher.runToEnd(printFlags, cmd.toArray(String[]::new));
            assertTrue(served2.startsWith("0\n") && served2.contains("portunus-serve.aot"), serveArgs + " is a serve: " + served2);
        }
        String dataDirNamedServe = Launcher.runToEnd(printFlags, LAUNCHER.toString(), "--data-dir", "serve", "reset");
        assertTrue(dataDirNamedServe.contains("portunus-command.aot"), "a data-dir named serve is not the verb: " + dataDirNamedServe);
    }

    @Test
    void javaHomeNamingAnotherJvmRunsThatJvmWithoutTheAotCache() throws Exception {
        Path app = CliRun.jar().getParent();
        if (!Files.exists(app.resolve("portunus-java"))) {
            return; // nothing recorded: the launcher runs JAVA_HOME's or the PATH's java, as it always did
        }
        String own = System.getProperty("java.home");
        Path recorded = Path.of(Files.readString(app.resolve("portunus-java")).strip());
        if (recorded.toRealPath().startsWith(Path.of(own).toRealPath())) {
            return; // the build's JVM is the recorded one; there is no other to name
        }
        String out = Launcher.runToEnd(Map.of("JAVA_HOME", own, "JAVA_OPTS", "-XX:+PrintCommandLineFlags -XshowSettings:properties"),
                LAUNCHER.toString(), "--help");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("java.home = " + own), "JAVA_HOME's java did not run: " + out);
        assertFalse(out.contains("AOTCache"), "another JVM was handed the AOT cache: " + out);
        assertFalse(out.toLowerCase().contains("warning"), out);
    }

    @Test
    void aFailedTrainingLeavesNoCacheAndNoRecordedJava() throws Exception {
        Path app = Files.createDirectories(root.resolve("app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "not a jar");
        for (String stale : List.of("portunus-serve.aot", "portunus-command.aot", "portunus-cds.jsa", "portunus-java")) {
            Files.writeString(app.resolve(stale), "stale");
        }
        Path failing = root.resolve("failing-launcher");
        Files.writeString(failing, "#!/bin/sh\necho 'training refused' >&2\nexit 1\n");

        String out = Launcher.runToEnd(Map.of(), "sh", SCRIPT.toString(), failing.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                app.resolve("quarkus-run.jar").toString(), root.resolve("scratch").toString());

        assertTrue(out.startsWith("0\n") && out.contains("no cache, the launcher starts without one")
                && out.contains("training refused"), out);
        try (Stream<Path> left = Files.list(app)) {
            assertEquals(List.of("quarkus-run.jar"), left.map(p -> p.getFileName().toString()).toList());
        }
        assertFalse(Files.exists(root.resolve("scratch")));
    }

    /** The newest JDK >= 25 under /usr/lib/jvm, the way start-cache.sh looks for one. */
    private static java.util.Optional<Path> newestJdk25OrLater() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return java.util.Optional.empty();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(jvms)) {
            for (Path d : dirs.toList()) {
                Path java = d.resolve("bin/java");
                if (Files.isExecutable(java) && featureVersion(java) >= 25) {
                    found.add(java);
                }
            }
        }
        return found.stream().max((a, b) -> Integer.compare(featureVersion(a), featureVersion(b)));
    }

    private static int featureVersion(Path java) {
        try {
            Path release = java.toRealPath().getParent().getParent().resolve("release");
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
