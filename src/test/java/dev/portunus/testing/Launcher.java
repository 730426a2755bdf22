package dev.portunus.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shipped launcher, {@code deploy/bin/portunus-server}, run the way an operator runs it (its JVM
 * flags, its start-up cache), for the tests of what the launcher itself decides; {@link CliRun} runs
 * the jar directly.
 */
public final class Launcher {

    /** The launcher of this checkout, absolute. */
    public static final Path PATH = Path.of("deploy/bin/portunus-server").toAbsolutePath();

    private Launcher() {
    }

    /**
     * Runs {@code cmd} to its end (60 s at most) in this process's environment without its
     * {@code JAVA_*} and {@code PORTUNUS_*} variables, plus {@code env}: the exit code, a newline,
     * then stdout and stderr merged.
     */
    public static String runToEnd(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JAVA_") || k.startsWith("PORTUNUS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue() + "\n" + out;
    }
}
