package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Typed access to the fields of one JSON object of a record, as serde read them (05-legacy.md §2):
 * no coercion, so a missing field or a wrong JSON type skips the record as {@code invalid_record}
 * ({@code "6000"} is not a port, {@code 30000.0} is not an integer); an out-of-range value skips it
 * with the reason the caller names. Fields the object has beyond {@code known} are warned about as
 * {@code unknown_field} (held back on the record until it is imported).
 */
final class RecordFields {

    private final JsonNode node;
    private final Section.Entry<?> entry;

    /**
     * @param prefix put before unknown field names in the warning ({@code "targets[2]."} for nested objects)
     */
    RecordFields(Section.Entry<?> entry, JsonNode node, Set<String> known, String prefix) {
        this.entry = entry;
        this.node = node;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                entry.warn(WarningCode.UNKNOWN_FIELD, new ReportEvent.Field("field", prefix + name));
            }
        }
    }

    /** The fields of the record itself. */
    static RecordFields of(Section.Entry<?> entry, Set<String> known) {
        return new RecordFields(entry, entry.node, known, "");
    }

    /** The fields of a nested object of the same record; {@code value} must be an object. */
    RecordFields nested(JsonNode value, Set<String> known, String prefix) {
        return new RecordFields(entry, value, known, prefix);
    }

    /** The raw value, or null when the field is absent (a JSON null is returned as a null node). */
    JsonNode raw(String name) {
        return node.get(name);
    }

    /** Absent or JSON null: what serde reads as {@code None} for an {@code Option}. */
    boolean isNone(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull();
    }

    String text(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        return v.textValue();
    }

    /** Absent or null → null. */
    String optionalText(String name) {
        return isNone(name) ? null : text(name);
    }

    /**
     * An integer in {@code min..max}. A JSON integer outside that range (however large) skips with
     * {@code outOfRange}; anything but a JSON integer skips as {@code invalid_record}.
     */
    long integer(String name, long min, long max, SkipReason outOfRange) {
        JsonNode v = node.get(name);
        if (v == null || !v.isIntegralNumber()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new SkipRecord(outOfRange);
        }
        return v.longValue();
    }

    /** Absent or null → {@code fallback}; otherwise as {@link #integer}. */
    long optionalInteger(String name, long min, long max, SkipReason outOfRange, long fallback) {
        return isNone(name) ? fallback : integer(name, min, max, outOfRange);
    }

    /** A boolean; absent → {@code fallback}; null → {@code fallback} only when {@code nullIsAbsent}. */
    boolean bool(String name, boolean fallback, boolean nullIsAbsent) {
        JsonNode v = node.get(name);
        if (v == null || (v.isNull() && nullIsAbsent)) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        return v.booleanValue();
    }

    Instant timestamp(String name) {
        return LegacyValues.timestamp(text(name));
    }

    /** Absent or null → null. */
    Instant optionalTimestamp(String name) {
        return isNone(name) ? null : timestamp(name);
    }

    /** A token hash, lower-cased, with {@code hash_lowercased} when it was not already. */
    String hash(String name) {
        String given = text(name);
        if (!LegacyValues.isHash(given)) {
            throw new SkipRecord(SkipReason.INVALID_TOKEN_HASH);
        }
        String lower = given.toLowerCase(Locale.ROOT);
        if (!lower.equals(given)) {
            entry.warn(WarningCode.HASH_LOWERCASED);
        }
        return lower;
    }

    /** A legacy ULID, upper-cased, with {@code id_uppercased} when it was not already. */
    String ulid(String name) {
        String given = text(name);
        String upper = given.toUpperCase(Locale.ROOT);
        if (!LegacyValues.isUlid(upper)) {
            throw new SkipRecord(SkipReason.INVALID_ID);
        }
        if (!upper.equals(given)) {
            entry.warn(WarningCode.ID_UPPERCASED);
        }
        return upper;
    }
}
