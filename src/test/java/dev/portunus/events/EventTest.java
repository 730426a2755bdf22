package dev.portunus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventTest {

    @AfterEach
    void backToText() {
        Event.useJson(false);
    }

    @Test
    void textLinesAreKeyValueWithValuesQuotedOnlyWhenNeeded() {
        String line = Event.of(EventName.STARTUP_STORE_IN_USE).with("path", "/var/lib/portunus/state.db")
                .with("count", 3).hint("stop the other \"serve\" first").render(Event.Level.ERROR);
        assertTrue(line.matches("\\S+Z ERROR event=startup\\.store_in_use path=/var/lib/portunus/state\\.db count=3 "
                + "hint=\"stop the other \\\\\"serve\\\\\" first\""), line);
        assertEquals(1, line.lines().count(), "one line");
    }

    @Test
    void aValueWithANewlineStaysOnOneLine() {
        String line = Event.of(EventName.SERVE_READY).with("reason", "a\nb").render(Event.Level.INFO);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.endsWith("reason=\"a\\nb\""), line);
    }

    @Test
    void jsonFormatIsOneParseableObjectPerLine() throws Exception {
        Event.useJson(true);
        String line = Event.of(EventName.CLI_BACKUP_COMPLETE).with("path", "/b/x.db").with("bytes", 42L)
                .with("note", "q\"uote").render(Event.Level.INFO);
        JsonNode node = new ObjectMapper().readTree(line);
        assertEquals("cli.backup_complete", node.get("event").asText());
        assertEquals("INFO", node.get("level").asText());
        assertEquals(42, node.get("bytes").asLong());
        assertEquals("q\"uote", node.get("note").asText());
        assertEquals(1, line.lines().count());
    }
}
