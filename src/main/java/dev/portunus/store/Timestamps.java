package dev.portunus.store;

import java.time.Instant;
import java.time.LocalDateTime;
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

    /**
     * {@code instant} as the store writes it, truncated to milliseconds. Written by hand for the years
     * 1–9999 (every row and audit entry formats at least one timestamp, and the pattern formatter
     * was a twentieth of a credential mint's CPU); other years go through the pattern formatter,
     * whose output the hand-written path equals (TimestampsTest).
     */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1 || year > 9999) {
            return FIXED.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        char[] c = new char[24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, instant.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    /** {@code value} as exactly {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The pattern formatter {@link #format} stands in for; tests compare the two. */
    static String formatByPattern(Instant instant) {
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
