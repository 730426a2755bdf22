package dev.portunus.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Timestamps as the store keeps them: RFC 3339 UTC with milliseconds, always 24 characters
 * ({@code 2026-01-02T03:04:05.678Z}), so that comparing the text compares the time.
 */
public final class Timestamps {

    private static final DateTimeFormatter FIXED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RFC3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern QUERY_DECODED_PLUS =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})? \\d{2}:\\d{2}");

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
        if (text == null || !RFC3339.matcher(text).matches()) {
            throw new DateTimeParseException("not an RFC 3339 timestamp", String.valueOf(text), 0);
        }
        return OffsetDateTime.parse(text.toUpperCase()).toInstant();
    }

    /**
     * {@link #parseRfc3339} for a value taken from a query string, where an unencoded {@code +}
     * arrives as a space: a single space exactly where the offset's sign belongs is read as
     * {@code +}. Nothing else is repaired; the caller's error says to send {@code %2B}.
     */
    public static Instant parseQueryRfc3339(String text) {
        if (text != null && QUERY_DECODED_PLUS.matcher(text).matches()) {
            int sign = text.length() - 6;
            text = text.substring(0, sign) + "+" + text.substring(sign + 1);
        }
        return parseRfc3339(text);
    }
}
