package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** The query-string leniency of issue 8: a decoded '+' (a space) only where the offset's sign belongs. */
class TimestampsTest {

    @Test
    void aSpaceWhereTheOffsetSignBelongsIsReadAsPlus() {
        Instant expected = Instant.parse("2025-12-31T23:00:00Z");
        assertEquals(expected, Timestamps.parseQueryRfc3339("2026-01-01T00:00:00 01:00"));
        assertEquals(expected, Timestamps.parseQueryRfc3339("2026-01-01T00:00:00+01:00"));
        assertEquals(expected.plusMillis(500), Timestamps.parseQueryRfc3339("2026-01-01T00:00:00.5 01:00"));
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), Timestamps.parseQueryRfc3339("2026-01-01T00:00:00-01:00"));
    }

    @Test
    void nothingElseIsRepaired() {
        for (String bad : new String[] {"2026-01-01 00:00:00Z", "2026-01-01T00:00:00  01:00", "2026-01-01T00:00:00 0100",
                " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z ", "2026-01-01T00:00:00 Z", "2026-13-01T00:00:00 01:00"}) {
            assertThrows(DateTimeParseException.class, () -> Timestamps.parseQueryRfc3339(bad), bad);
        }
        // Outside query strings (audit prune --before) a space stays an error.
        assertThrows(DateTimeParseException.class, () -> Timestamps.parseRfc3339("2026-01-01T00:00:00 01:00"));
    }
}
