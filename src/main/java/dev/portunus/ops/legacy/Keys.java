package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The duplicate keys of §7.3 phase 2, read before any validation: null when a record has none. */
final class Keys {

    private Keys() {
    }

    /** Client name or user id: the text as written. */
    static String text(JsonNode record, String field) {
        JsonNode v = record.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** Credential and grant ids: ULIDs are case-insensitive, so copies are compared upper-cased. */
    static String ulid(JsonNode record) {
        String id = text(record, "id");
        return id == null ? null : id.toUpperCase(Locale.ROOT);
    }

    /** Rule ids: the integer's decimal text, so {@code 18446744073709551615} keys like any other. */
    static String integer(JsonNode record) {
        JsonNode v = record.get("id");
        return v != null && v.isIntegralNumber() ? v.bigIntegerValue().toString() : null;
    }
}
