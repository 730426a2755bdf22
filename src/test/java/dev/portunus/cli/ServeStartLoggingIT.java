package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.SlowSlf4jProvider;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code serve}'s start runs Quarkus' static initialisation on a thread of its own beside the store
 * checks ({@link ServeCommand}). Both threads ask SLF4J for loggers (Netty's there, the SQLite
 * driver's on the main thread). A thread that asks while another is still initialising SLF4J gets
 * its substitute logger: what it logs meanwhile is lost, and SLF4J prints a multi-line warning on
 * stderr, which also breaks the one-JSON-object-per-line contract of {@code log_format = "json"}
 * (01-store.md §3a). Seen on
 * slow starts (a loaded machine, a profiler attached). SLF4J is therefore initialised first, and the
 * main thread opens no store before it is ready; this test makes that initialisation slow
 * ({@link SlowSlf4jProvider}) so that any overlap would surely show.
 */
class ServeStartLoggingIT {

    private Path root;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("startlog-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void slf4jIsReadyBeforeEitherStartThreadAsksForALoggerSoNoneIsSubstituted() throws Exception {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Path marker = root.resolve("initialised-by");
        String options = "-javaagent:" + SlowSlf4jProvider.agentJar(root) + " -Dslf4j.provider="
                + SlowSlf4jProvider.class.getName() + " -D" + SlowSlf4jProvider.MARKER_PROPERTY + "=" + marker;
        CliRun.Result stopped;
        try (CliRun.Serving serving = CliRun.create().env("JAVA_TOOL_OPTIONS", options).serve(dataDir)) {
            stopped = serving.process().terminate(Duration.ofSeconds(30));
        }
        assertEquals(0, stopped.exitCode(), stopped.toString());
        // The slow provider was the one used (it names the thread that initialised SLF4J).
        assertFalse(Files.readString(marker).isBlank(), stopped.toString());
        // SLF4J's own notice that it loads the provider the property names is expected; its warnings are not.
        assertFalse(stopped.stderr().contains("SLF4J(W)"), stopped.toString());
        assertFalse(stopped.stderr().contains("substitute"), stopped.toString());
    }
}
