package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.testing.CliRun;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code log_format = "json"} (01-store.md §3a): every line a serve process writes is one JSON
 * object — Quarkus' own log lines as well as the {@code event=} lines, whose fields become JSON
 * fields — from the first startup check to the last line after SIGTERM.
 */
class JsonLogFormatIT {

    private Path root;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("jsonlog-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void everyLineOfAServeProcessIsOneJsonObjectWithTheEventFieldsAsFields() throws Exception {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Files.writeString(dataDir.resolve("server.toml"), "log_format = \"json\"\n");
        String stderr;
        try (CliRun.Serving serving = CliRun.create().serve(dataDir)) {
            CliRun.Result stopped = serving.process().terminate(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode(), stopped.toString());
            stderr = stopped.stderr();
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = json.readTree(line); // throws on any line that is not JSON
                assertTrue(node.isObject(), line);
                lines.add(node);
            }
        }
        JsonNode fresh = lines.stream().filter(n -> "startup.fresh_store".equals(n.path("event").asText())).findFirst()
                .orElse(null);
        assertNotNull(fresh, stderr);
        assertEquals(dataDir.resolve("state.db").toString(), fresh.get("path").asText(), "event fields are JSON fields");
        assertTrue(lines.stream().anyMatch(n -> "serve.ready".equals(n.path("event").asText())), stderr);
        assertTrue(lines.stream().anyMatch(n -> n.path("loggerName").asText().startsWith("io.quarkus")),
                "Quarkus' own lines are there, as JSON: " + stderr);
        assertTrue(lines.stream().allMatch(n -> n.has("timestamp") && n.has("level") && n.has("message")),
                "one shape for both kinds of line: " + stderr);
    }

    @Test
    void theFlagTurnsJsonOnAndTextStaysTheDefault() {
        Path dataDir = root.resolve("text");
        CliRun.Result text = CliRun.create().run("serve", "--data-dir", dataDir.toString(), "--operator-http-listen",
                "127.0.0.1:1", "--client-listen", "127.0.0.1:0", "--log-format", "nonsense");
        assertEquals(78, text.exitCode(), text.toString());
        assertTrue(text.stderr().contains("event=startup.config_invalid"), "a bad value is refused in text: " + text);
        assertTrue(text.eventLine("startup.config_invalid").contains("key=log_format"), text.toString());
    }
}
