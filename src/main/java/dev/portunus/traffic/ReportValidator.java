package dev.portunus.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.api.ApiException;
import dev.portunus.store.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of a traffic report body that the strict binder cannot express (06-traffic.md §2.2),
 * in field order, first failure wins: 422 {@code invalid_boot_id}, {@code invalid_seq},
 * {@code invalid_timestamp} ({@code sent_at}), {@code missing_field} ({@code rules}),
 * {@code too_many_rules}, {@code invalid_rule_id}, {@code invalid_counter} (negative, not an integer,
 * beyond int64 — int32 for {@code active_connections}), {@code duplicate_rule_id}, and
 * {@code invalid_type} for a number given as another JSON type. Messages name the field.
 */
final class ReportValidator {

    static final Pattern BOOT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    static final int MAX_RULES = 10_000;
    static final int MAX_RULE_ID = 64;

    private ReportValidator() {
    }

    /** A report that passed every check. {@code sentAt} is null when the client did not send it. */
    record Checked(String bootId, long seq, Instant sentAt, List<Entry> rules) {
    }

    /** One rule's cumulative counters (bytes) and optional gauge (null when not reported). */
    record Entry(String ruleId, long bytesIn, long bytesOut, Integer activeConnections) {
    }

    static Checked check(TrafficJson.Report r) {
        if (r == null) {
            throw ApiException.badRequest("malformed_json", "a JSON object body is required");
        }
        String bootId = text(r.bootId(), "boot_id");
        if (bootId == null || !BOOT_ID.matcher(bootId).matches()) {
            throw ApiException.invalid("invalid_boot_id", "boot_id is required: 8 to 64 characters of A-Z a-z 0-9 _ -");
        }
        long seq = number(r.seq(), "seq", "invalid_seq", 1, Long.MAX_VALUE, "seq is required: a whole number from 1");
        String sentAtText = text(r.sentAt(), "sent_at");
        Instant sentAt = null;
        if (sentAtText != null) {
            try {
                sentAt = Timestamps.parseRfc3339(sentAtText);
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("invalid_timestamp", "field 'sent_at' must be an RFC 3339 timestamp");
            }
        }
        if (r.rules() == null) {
            throw ApiException.invalid("missing_field", "field 'rules' is required (an empty array is a heartbeat)");
        }
        if (r.rules().size() > MAX_RULES) {
            throw ApiException.invalid("too_many_rules", "a report carries at most " + MAX_RULES + " rules, this one "
                    + r.rules().size());
        }
        List<Entry> entries = new ArrayList<>(r.rules().size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.rules().size(); i++) {
            String at = "rules[" + i + "]";
            TrafficJson.ReportRule e = r.rules().get(i);
            if (e == null) {
                throw ApiException.invalid("invalid_type", "field '" + at + "' must be an object");
            }
            String ruleId = text(e.ruleId(), at + ".rule_id");
            if (ruleId == null || ruleId.isEmpty() || ruleId.length() > MAX_RULE_ID) {
                throw ApiException.invalid("invalid_rule_id", "field '" + at + ".rule_id' is required: 1 to " + MAX_RULE_ID
                        + " characters");
            }
            long in = counter(e.bytesIn(), at + ".bytes_in", Long.MAX_VALUE);
            long out = counter(e.bytesOut(), at + ".bytes_out", Long.MAX_VALUE);
            Integer active = present(e.activeConnections())
                    ? (int) counter(e.activeConnections(), at + ".active_connections", Integer.MAX_VALUE) : null;
            if (!seen.add(ruleId)) {
                throw ApiException.invalid("duplicate_rule_id", "rule_id '" + ruleId + "' appears more than once (" + at + ")");
            }
            entries.add(new Entry(ruleId, in, out, active));
        }
        return new Checked(bootId, seq, sentAt, entries);
    }

    private static long counter(JsonNode node, String field, long max) {
        return number(node, field, "invalid_counter", 0, max, "field '" + field + "' must be a whole number from 0 to " + max);
    }

    /** A JSON integer in {@code [min, max]}; another JSON type is {@code invalid_type}, anything else {@code code}. */
    private static long number(JsonNode node, String field, String code, long min, long max, String message) {
        if (!present(node)) {
            throw ApiException.invalid(code, message);
        }
        if (!node.isNumber()) {
            throw ApiException.invalid("invalid_type", "field '" + field + "' has the wrong type");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw ApiException.invalid(code, message);
        }
        return node.longValue();
    }

    /** The text of a string member, null when absent or null; another JSON type is {@code invalid_type}. */
    private static String text(JsonNode node, String field) {
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("invalid_type", "field '" + field + "' has the wrong type");
        }
        return node.textValue();
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
