package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.Launcher;
import dev.portunus.testing.TestFiles;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
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
        assumeTrue(Files.exists(app.resolve("portunus-serve.aot")),
                "no JDK 25 here: theBuildMadeTheCacheThisMachinesNewestJdkCanUse pins the CDS archive instead");
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
        for (String line : served.split("\n")) {
            // The operator reads a warning as something to act on: a normal start warns only through events.
            assertFalse(line.contains(" WARN ") && !line.contains("event="), "a normal start warned: " + line);
        }

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
    void picocliWhoseClassesPredateJava6sFormatIsInTheCommandCache() throws Exception {
        Path app = CliRun.jar().getParent();
        assumeTrue(Files.exists(app.resolve("portunus-command.aot")), "no JDK 25 here: nothing is upgraded, no AOT cache to be in");
        String loads = Launcher.runToEnd(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), LAUNCHER.toString(), "--help");
        String line = loads.lines().filter(l -> l.contains(" picocli.CommandLine ")).findFirst().orElseThrow();
        assertTrue(line.contains("source: shared objects file"), "picocli is read from its jar again: " + line);
    }

    @Test
    void oldClassFilesAreUpgradedInPlaceAndStillLoadWhileNewerJarsAndASecondRunChangeNothing() throws Exception {
        Optional<Path> jdk25 = newestJdk25OrLater();
        assumeTrue(jdk25.isPresent(), "the upgrade uses the class-file API of JDK 24+, and only the AOT cache needs it");
        Path lib = Files.createDirectories(root.resolve("lib"));
        // The test JVM reads picocli from the local repository: the jar as published, Java 5's format.
        Path published = Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.copy(published, lib.resolve("picocli.jar"));
        Path newer = Files.copy(Path.of(Test.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()), lib.resolve("junit-api.jar"));
        byte[] newerBefore = Files.readAllBytes(newer);
        Map<String, Long> times = entryTimes(jar);
        assertTrue(classVersions(jar).values().stream().allMatch(v -> v < 50), "the published jar is no longer old");

        String out = upgrade(jdk25.get(), lib);
        assertTrue(out.startsWith("0\n") && out.contains("of picocli.jar to version 52"), out);
        assertEquals(times, entryTimes(jar), "the same entries with the same times");
        assertTrue(classVersions(jar).values().stream().allMatch(v -> v == 52), classVersions(jar).toString());
        assertTrue(Arrays.equals(newerBefore, Files.readAllBytes(newer)), "a jar without old classes was rewritten");
        // Every class passes this JVM's verifier, which needs the stack maps the new format requires.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            for (String entry : classVersions(jar).keySet()) {
                Class.forName(entry.substring(0, entry.length() - 6).replace('/', '.'), true, loader);
            }
        }
        byte[] upgraded = Files.readAllBytes(jar);
        assertTrue(upgrade(jdk25.get(), lib).contains("0 class file(s) upgraded"));
        assertTrue(Arrays.equals(upgraded, Files.readAllBytes(jar)), "a second run changed the jar");

        // A well-formed Java 5 class that cannot be rewritten (JSR/RET, which version 52 forbids) fails
        // the run inside the rewrite itself: that jar stays as it was and no temporary file is left.
        // A hidden leftover of a killed run (".rewrite-….jar" before it was renamed) is not a dependency.
        Path leftover = Files.writeString(lib.resolve(".rewrite-1.jar"), "truncated");
        Path broken = lib.resolve("broken.jar");
        try (JarOutputStream w = new JarOutputStream(Files.newOutputStream(broken))) {
            w.putNextEntry(new JarEntry("Jsr.class"));
            w.write(Base64.getDecoder().decode(JSR_CLASS));
            w.closeEntry();
        }
        byte[] brokenBefore = Files.readAllBytes(broken);
        String failed = upgrade(jdk25.get(), lib);
        assertTrue(failed.startsWith("1\n") && failed.contains("cannot upgrade Jsr.class") && failed.contains("jsr"), failed);
        assertTrue(Arrays.equals(brokenBefore, Files.readAllBytes(broken)));
        try (Stream<Path> left = Files.list(lib)) {
            assertEquals(List.of(".rewrite-1.jar", "broken.jar", "junit-api.jar", "picocli.jar"),
                    left.map(f -> f.getFileName().toString()).sorted().toList(), "a temporary file was left behind");
        }
        Files.delete(broken);
        assertTrue(upgrade(jdk25.get(), lib).startsWith("0\n"), "the leftover was taken for a jar");
        assertEquals("truncated", Files.readString(leftover));
    }

    /** A Java 5 class file with one method {@code m} that calls a subroutine (JSR/RET), made with the JDK's class-file API. */
    private static final String JSR_CLASS = "yv66vgAAADEACAEAA0pzcgcAAQEAEGphdmEvbGFuZy9PYmplY3QHAAMBAAFtAQADKClWAQAEQ29kZQAhAAIABAAAAAAAAQAJAAUABgABAAcAAAATAAIAAQAAAAeoAASxS6kAAAAAAAAA";

    private static String upgrade(Path java, Path lib) throws Exception {
        return Launcher.runToEnd(Map.of(), java.toString(), Path.of("deploy/lib/UpgradeOldClasses.java").toAbsolutePath().toString(),
                lib.toString());
    }

    /** Class entry name to its class-file major version. */
    private static Map<String, Integer> classVersions(Path jar) throws IOException {
        Map<String, Integer> versions = new TreeMap<>();
        try (JarFile in = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    try (var data = new DataInputStream(in.getInputStream(e))) {
                        data.skipNBytes(6);
                        versions.put(e.getName(), data.readUnsignedShort());
                    }
                }
            }
        }
        return versions;
    }

    /** Entry name to time, the manifest aside (a rewritten jar writes it first, as the jar tool does). */
    private static Map<String, Long> entryTimes(Path jar) throws IOException {
        Map<String, Long> times = new TreeMap<>();
        try (JarFile in = new JarFile(jar.toFile())) {
            in.stream().filter(e -> !e.getName().equals(JarFile.MANIFEST_NAME)).forEach(e -> times.put(e.getName(), e.getTime()));
        }
        return times;
    }

    @Test
    void javaHomeNamingAnotherJvmRunsThatJvmWithoutTheAotCache() throws Exception {
        Path app = CliRun.jar().getParent();
        assumeTrue(Files.exists(app.resolve("portunus-java")),
                "nothing recorded: the launcher runs JAVA_HOME's or the PATH's java, as it always did");
        String own = System.getProperty("java.home");
        Path recorded = Path.of(Files.readString(app.resolve("portunus-java")).strip());
        assumeFalse(recorded.toRealPath().startsWith(Path.of(own).toRealPath()),
                "the build's JVM is the recorded one; there is no other to name");
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
    private static Optional<Path> newestJdk25OrLater() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
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
