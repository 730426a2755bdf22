package dev.portunus.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as the store keeps them: RFC 3339 UTC with milliseconds, always 24 characters
 * ({@code 2026-01-02T03:04:05.678Z}), so that comparing the text compares the time.
 */
public final class Timestamps {

    private static final DateTimeFormatter FIXED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FIXED.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    public static String now() {
        return format(Instant.now());
    }

    /** Parses any RFC 3339 timestamp (with {@code Z} or an offset); throws on anything else. */
    public static Instant parseRfc3339(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})")) {
            throw new DateTimeParseException("not an RFC 3339 timestamp", String.valueOf(text), 0);
        }
        return OffsetDateTime.parse(text.toUpperCase()).toInstant();
    }
}
