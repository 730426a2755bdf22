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

    @Test
    void theHandWrittenFormatEqualsThePatternFormatterAcrossTheRange() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        java.util.List<Instant> cases = new java.util.ArrayList<>(java.util.List.of(Instant.EPOCH, Instant.ofEpochSecond(min),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T23:59:59.9995Z"),
                Instant.parse("1969-12-31T23:59:59.001Z"), Instant.ofEpochSecond(-1, 999_999_999)));
        for (int i = 0; i < 100_000; i++) {
            cases.add(Instant.ofEpochSecond(random.nextLong(min, max + 1), random.nextInt(1_000_000_000)));
        }
        for (Instant t : cases) {
            assertEquals(Timestamps.formatByPattern(t), Timestamps.format(t), t.toString());
            assertEquals(24, Timestamps.format(t).length(), t.toString());
        }
        // Outside 1-9999 (year 0 is 1 BCE to the pattern's year-of-era) the pattern formatter answers (and the text is no longer 24 characters).
        assertEquals(Timestamps.formatByPattern(Instant.parse("+10000-01-01T00:00:00Z")),
                Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
