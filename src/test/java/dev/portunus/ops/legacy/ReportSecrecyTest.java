package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §7.6: hashes, tokens and labels never go into report lines (nor into the plan's toString). */
class ReportSecrecyTest {

    /** Every token_hash (as written and lower-cased) and every label in the fixture's files. */
    private static Set<String> secrets(Path dir) throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                collect(new ObjectMapper().readTree(file.toFile()), out);
            }
        }
        return out;
    }

    private static void collect(JsonNode node, Set<String> out) {
        node.fields().forEachRemaining(f -> {
            if ((f.getKey().equals("token_hash") || f.getKey().equals("label")) && f.getValue().isTextual()) {
                out.add(f.getValue().textValue());
                out.add(f.getValue().textValue().toLowerCase(Locale.ROOT));
            }
        });
        node.elements().forEachRemaining(child -> collect(child, out));
    }

    /** Every text the report could print: each line, each field value, and the plan's toString. */
    private static List<String> printed(ImportPlan plan) {
        List<String> out = new ArrayList<>();
        for (boolean strict : new boolean[] {false, true}) {
            for (ReportEvent e : plan.report(strict)) {
                out.add(e.toString());
                e.fields().forEach(f -> out.add(String.valueOf(f.value())));
            }
        }
        out.add(plan.toString());
        plan.rows().credentials().forEach(c -> out.add(c.toString()));
        plan.rows().clientTokens().forEach(c -> out.add(c.toString()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"valid-small", "valid-api-dump", "edge"})
    void noReportLineCarriesAHashOrALabelOfTheFixtures(String fixture) throws IOException {
        Set<String> secrets = secrets(Fixtures.resource(fixture));
        assertTrue(secrets.size() > 5, "the fixture has hashes and labels to look for");
        for (String text : printed(Fixtures.plan(fixture))) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), () -> "'" + text + "' contains '" + secret + "'");
            }
        }
    }

    @Test
    void aHashWhereAnIdOrAFreeTextBelongsIsRedacted() {
        String hash = Fixtures.hash("secrecy", "token");
        String tokens = "{\"version\": 1, \"tokens\": [{\"client_name\": \"" + hash + "\", \"token_hash\": \"" + hash
                + "\", \"issued_at\": \"2025-01-01T00:00:00Z\"}, {\"client_name\": \"ok\", \"token_hash\": \""
                + hash.toUpperCase(Locale.ROOT) + "\", \"issued_at\": \"2025-01-01T00:00:00Z\", \"x" + hash + "\": 1}]}";
        String rules = "{\"version\": 1, \"rules\": [{\"id\": 1, \"client_name\": \"ok\", \"listen_port\": 80,"
                + " \"target_host\": \"a.example\", \"target_port\": 80, \"protocol\": \"tcp\","
                + " \"state\": {\"kind\": \"failed\", \"reason\": \"token " + hash + " refused\"},"
                + " \"created_at\": \"2025-01-01T00:00:00Z\", \"last_state_change_at\": \"2025-01-01T00:00:00Z\","
                + " \"owner_user_id\": \"_superadmin\"}]}";
        String identity = "{\"version\": 1, \"users\": [{\"id\": \"_superadmin\", \"display_name\": \"S\","
                + " \"role\": \"superadmin\", \"created_at\": \"2025-01-01T00:00:00Z\"}],"
                + " \"credentials\": [{\"id\": \"" + hash + "\", \"user_id\": \"_superadmin\", \"token_hash\": \"" + hash
                + "\", \"created_at\": \"2025-01-01T00:00:00Z\", \"status\": \"active\"}]}";
        ImportPlan plan = Fixtures.plan(Fixtures.dirWith(tokens, identity, rules));
        printed(plan).forEach(text -> assertFalse(text.toLowerCase(Locale.ROOT).contains(hash), text));
        List<String> lines = Fixtures.lines(plan.report(false));
        List<String> redacted = List.of(
                "event=import.record_skipped file=tokens.json kind=client index=0 key=[redacted] reason=invalid_client_name",
                "event=import.record_skipped file=identity.json kind=credential index=0 key=[redacted] reason=invalid_id",
                "event=import.record_warning file=tokens.json kind=client index=1 key=ok code=unknown_field field=x[redacted]",
                "event=import.record_warning file=rules.json kind=rule index=0 key=1 code=rule_was_failed"
                        + " failed_reason=token [redacted] refused");
        assertTrue(lines.containsAll(redacted), String.join("\n", lines));
        // The redaction happens in ReportEvent itself, so it also holds for what toEvent() hands to the printer.
        ReportEvent e = plan.report(false).stream().filter(r -> "1".equals(r.get("key"))).findFirst().orElseThrow();
        assertEquals("token [redacted] refused", e.toEvent().field("failed_reason"));
    }
}
