package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.ops.legacy.ImportPlan.ClientTokenRow;
import dev.portunus.ops.legacy.ImportPlan.CredentialRow;
import dev.portunus.ops.legacy.ImportPlan.GrantRow;
import dev.portunus.ops.legacy.ImportPlan.RuleRow;
import dev.portunus.ops.legacy.ImportPlan.RuleTargetRow;
import dev.portunus.ops.legacy.ImportPlan.UserRow;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge set: one problem per record (05-legacy.md §7.3–§7.5, §8). The expectations below are
 * the record list of legacy/edge: kind, index, key and reason or code of each problem record.
 */
class EdgeSetImportTest {

    private static ImportPlan plan;

    @BeforeAll
    static void plan() {
        plan = Fixtures.plan("edge");
    }

    private static String skip(String kind, int index, String key, String reason) {
        return kind + "#" + index + " " + key + " " + reason;
    }

    private static String warning(String kind, Integer index, String key, String code, String details) {
        return kind + "#" + index + " " + key + " " + code + (details.isEmpty() ? "" : " " + details);
    }

    @Test
    void everySkipIsReportedWithItsReasonAndKey() {
        List<String> expected = List.of(
                skip("client", 1, null, "invalid_record"),
                skip("client", 2, "dup-diff", "duplicate_id"),
                skip("client", 3, "dup-diff", "duplicate_id"),
                skip("client", 6, "Bad_Name", "invalid_client_name"),
                skip("client", 7, "bad-hash", "invalid_token_hash"),
                skip("client", 8, "bad-time", "invalid_timestamp"),
                skip("client", 9, "wrong-type", "invalid_record"),
                skip("client", 10, "hash-twin-a", "duplicate_token_hash"),
                skip("client", 11, "hash-twin-b", "duplicate_token_hash"),
                skip("client", 15, "space-time", "invalid_timestamp"),
                skip("client", 16, "no-hash", "invalid_record"),
                skip("user", 4, "Bad-Id", "invalid_user_id"),
                skip("user", 5, "role-x", "invalid_role"),
                skip("user", 6, "dupu", "duplicate_id"),
                skip("user", 7, "dupu", "duplicate_id"),
                skip("user", 9, "_Nope", "reserved_id_unmappable"),
                skip("user", 10, "dis-type", "invalid_record"),
                skip("credential", 1, "NOT-A-ULID", "invalid_id"),
                skip("credential", 3, "01JGFJJZ7TAAAAAAAAAAAAAAA3", "unknown_user"),
                skip("credential", 4, "01JGFJJZ7TAAAAAAAAAAAAAAA4", "user_not_imported"),
                skip("credential", 5, "01JGFJJZ7TAAAAAAAAAAAAAAA5", "invalid_status"),
                skip("credential", 6, "01JGFJJZ7TAAAAAAAAAAAAAAA6", "invalid_status"),
                skip("credential", 7, "01JGFJJZ7TAAAAAAAAAAAAAAA7", "duplicate_token_hash"),
                skip("credential", 8, "01JGFJJZ7TAAAAAAAAAAAAAAA8", "duplicate_token_hash"),
                skip("credential", 10, "01JGFJJZ7TAAAAAAAAAAAAAA11", "duplicate_id"),
                skip("credential", 11, "01JGFJJZ7TAAAAAAAAAAAAAA11", "duplicate_id"),
                skip("credential", 12, "01JGFJJZ7TAAAAAAAAAAAAAA12", "invalid_timestamp"),
                skip("credential", 14, "01JGFJJZ7TAAAAAAAAAAAAAA14", "invalid_token_hash"),
                skip("credential", 15, "01JGFJJZ7TAAAAAAAAAAAAAA15", "user_not_imported"),
                skip("grant", 1, "01JGK7AA80BBBBBBBBBBBBBBB1", "invalid_protocols"),
                skip("grant", 2, "01JGK7AA80BBBBBBBBBBBBBBB2", "invalid_protocols"),
                skip("grant", 3, "01JGK7AA80BBBBBBBBBBBBBBB3", "invalid_port_range"),
                skip("grant", 4, "01JGK7AA80BBBBBBBBBBBBBBB4", "invalid_port_range"),
                skip("grant", 5, "01JGK7AA80BBBBBBBBBBBBBBB5", "unknown_client"),
                skip("grant", 6, "01JGK7AA80BBBBBBBBBBBBBBB6", "client_not_imported"),
                skip("grant", 7, "01JGK7AA80BBBBBBBBBBBBBBB7", "user_not_imported"),
                skip("grant", 8, "01JGK7AA80BBBBBBBBBBBBBBB8", "invalid_record"),
                skip("grant", 11, "01JGK7AA80BBBBBBBBBBBBBB11", "invalid_client_name"),
                skip("grant", 12, "01JGK7AA80BBBBBBBBBBBBBB12", "invalid_record"),
                skip("rule", 1, "1", "duplicate_id"),
                skip("rule", 2, "1", "duplicate_id"),
                skip("rule", 6, "6", "invalid_protocol"),
                skip("rule", 7, "7", "invalid_state"),
                skip("rule", 8, "8", "rule_removed"),
                skip("rule", 10, "10", "invalid_target"),
                skip("rule", 11, "11", "invalid_target"),
                skip("rule", 12, "12", "invalid_target"),
                skip("rule", 13, "13", "invalid_target"),
                skip("rule", 14, "14", "port_range_mismatch"),
                skip("rule", 15, "15", "port_range_mismatch"),
                skip("rule", 16, "16", "invalid_health_check"),
                skip("rule", 18, "18", "owner_missing"),
                skip("rule", 19, "19", "unknown_client"),
                skip("rule", 20, "20", "client_not_imported"),
                skip("rule", 21, "21", "unknown_user"),
                skip("rule", 22, "22", "user_not_imported"),
                skip("rule", 23, "23", "invalid_record"),
                skip("rule", 28, "28", "listen_port_conflict"),
                skip("rule", 31, "-1", "invalid_record"),
                skip("rule", 32, null, "invalid_record"),
                skip("rule", 33, "33", "invalid_port_range"),
                skip("rule", 34, "34", "invalid_client_name"),
                skip("rule", 35, "35", "invalid_timestamp"),
                skip("rule", 37, "37", "invalid_record"),
                skip("rule", 38, null, "invalid_record"));
        List<String> actual = plan.skips().stream()
                .map(s -> skip(s.kind().code(), s.index(), s.key(), s.reason().code())).toList();
        assertEquals(expected, actual);
        plan.skips().forEach(s -> assertEquals(s.kind().file().fileName(), s.file()));
    }

    @Test
    void everyWarningIsReportedWithItsCodeAndKey() {
        List<String> expected = List.of(
                "null#null null utf8_bom_stripped",
                "null#null null unknown_field field=exported_by",
                "null#null null leftover_temp_file",
                warning("client", 5, "dup-same", "duplicate_identical", ""),
                warning("client", 12, "upper-hash", "hash_lowercased", ""),
                warning("client", 13, "extra-field", "unknown_field", "field=address"),
                warning("user", 0, "_superadmin", "user_renamed", "to=superadmin"),
                warning("user", 1, "_legacy", "user_renamed", "to=legacy-imported"),
                warning("user", 1, "_legacy", "legacy_operator_token_user", ""),
                warning("user", 8, "blank", "display_name_substituted", ""),
                warning("user", 12, "dupsame", "duplicate_identical", ""),
                warning("user", 13, "extra-user", "unknown_field", "field=email"),
                warning("credential", 2, "01JGFJJZ7TAAAAAAAAAAAAAAA2", "id_uppercased", ""),
                warning("credential", 9, "01JGFJJZ7TAAAAAAAAAAAAAAA9", "hash_lowercased", ""),
                warning("credential", 13, "01JGFJJZ7TAAAAAAAAAAAAAA13", "unknown_field", "field=status.revoked.by"),
                warning("rule", 4, "3", "duplicate_identical", ""),
                warning("rule", 5, "5", "protocol_alias", ""),
                warning("rule", 9, "9", "rule_was_failed", "failed_reason=bind: address in use"),
                warning("rule", 17, "17", "health_check_zero_dropped", ""),
                warning("rule", 24, "24", "target_host_normalized", ""),
                warning("rule", 25, "25", "target_priority_reranked", ""),
                warning("rule", 26, "26", "rule_on_revoked_client", ""),
                warning("rule", 27, "27", "rule_outside_grants", ""),
                warning("rule", 36, "36", "unknown_field", "field=comment"),
                warning("rule", 39, "39", "unknown_field", "field=targets[0].weight"));
        List<String> actual = plan.warnings().stream().map(w -> warning(w.kind() == null ? null : w.kind().code(),
                w.index(), w.key(), w.code().code(), w.details().stream().map(f -> f.key() + "=" + f.value())
                        .collect(Collectors.joining(" ")))).toList();
        assertEquals(expected, actual);
        assertEquals(List.of("identity.json", "identity.json", "tokens.json.tmp.4242.17361873618"),
                plan.warnings().subList(0, 3).stream().map(ImportPlan.Warning::file).toList());
    }

    @Test
    void theEdgeSetCoversEveryReasonAndEveryWarningButTheImportWideOne() {
        Set<SkipReason> reasons = plan.skips().stream().map(ImportPlan.Skip::reason).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(SkipReason.class), EnumSet.copyOf(reasons));
        Set<WarningCode> codes = EnumSet.copyOf(plan.warnings().stream().map(ImportPlan.Warning::code).toList());
        // The edge set has a superadmin; NoSuperadmin covers the last code.
        assertEquals(EnumSet.complementOf(EnumSet.of(WarningCode.NO_SUPERADMIN_IMPORTED)), codes);
    }

    @Test
    void whatSurvivesIsTransformedAsSection6Says() {
        Map<String, String> clients = plan.mappings().clientIds();
        assertEquals(List.of("good-a", "dup-same", "upper-hash", "extra-field", "revoked-c"), List.copyOf(clients.keySet()));
        ClientTokenRow upper = plan.rows().clientTokens().get(2);
        assertEquals(Fixtures.hash("edge", "upper-hash"), upper.tokenHash());
        assertEquals("2025-02-28T23:00:00.123Z", plan.rows().clientTokens().get(4).revokedAt());

        assertEquals(List.of("superadmin", "legacy-imported", "legacy", "carol", "blank", "dupsame", "extra-user", "late"),
                plan.rows().users().stream().map(UserRow::id).toList());
        assertEquals(new UserRow("blank", "user", "blank", 0, null, 0, "2025-01-01T00:00:00.000Z"), plan.rows().users().get(4));
        assertEquals("2024-12-31T23:00:00.123Z", plan.rows().users().get(7).createdAt());
        assertEquals(Map.of("_superadmin", "superadmin", "_legacy", "legacy-imported"), plan.mappings().userRenames());

        List<CredentialRow> credentials = plan.rows().credentials();
        assertEquals(List.of("01JGFJJZ7TAAAAAAAAAAAAAAAA", "01JGFJJZ7TAAAAAAAAAAAAAAA2", "01JGFJJZ7TAAAAAAAAAAAAAAA9",
                "01JGFJJZ7TAAAAAAAAAAAAAA13"), credentials.stream().map(CredentialRow::id).toList());
        assertEquals(Fixtures.hash("edge", "cred9"), credentials.get(2).tokenHash());
        CredentialRow revoked = credentials.get(3);
        assertEquals(List.of("legacy-imported", "revoked", "2025-02-01T00:00:00.987Z"),
                List.of(revoked.userId(), revoked.status(), revoked.revokedAt()));

        assertEquals(List.of(
                new GrantRow("01JGK7AA80BBBBBBBBBBBBBBBB", "carol", clients.get("good-a"), 1000, 2000, "tcp", "note 0",
                        "2025-01-01T00:00:00.000Z"),
                new GrantRow("01JGK7AA80BBBBBBBBBBBBBBB9", "carol", "*", 30000, 30100, "both", "note 9",
                        "2025-01-01T00:00:00.000Z"),
                new GrantRow("01JGK7AA80BBBBBBBBBBBBBB1B", "legacy-imported", clients.get("good-a"), 40000, 40000, "tcp",
                        "note 10", "2025-01-01T00:00:00.000Z")),
                plan.rows().grants());

        Map<String, String> rules = plan.mappings().ruleIds();
        assertEquals(List.of("0", "3", "5", "9", "17", "24", "25", "26", "27", "29", "18446744073709551615", "36", "39"),
                List.copyOf(rules.keySet()));
        Map<String, RuleRow> byLegacy = plan.rows().rules().stream().collect(Collectors.toMap(
                r -> rules.entrySet().stream().filter(e -> e.getValue().equals(r.id())).findFirst().orElseThrow().getKey(),
                r -> r));
        assertEquals("tcp", byLegacy.get("5").protocol());
        assertEquals("Pending", byLegacy.get("9").state());
        assertNull(byLegacy.get("17").healthCheckIntervalSecs());
        assertEquals("2001:db8::1", byLegacy.get("24").targetHost());
        assertEquals(clients.get("revoked-c"), byLegacy.get("26").clientId());
        assertEquals("superadmin", byLegacy.get("29").ownerId());
        RuleRow oneEntry = byLegacy.get("39");
        assertNull(oneEntry.targetHost());
        assertEquals(List.of(
                new RuleTargetRow(rules.get("25"), 0, "10.2.0.1", 80, 1, null),
                new RuleTargetRow(rules.get("25"), 1, "10.2.0.2", 80, 0, null),
                new RuleTargetRow(rules.get("25"), 2, "10.2.0.3", 80, 1, null),
                new RuleTargetRow(rules.get("39"), 0, "10.3.0.1", 80, 0, null)),
                plan.rows().ruleTargets());
    }

    @Test
    void strictTurnsAnySkipIntoARefusal() {
        assertTrue(plan.writable(false));
        assertFalse(plan.writable(true));
        List<ReportEvent> strict = plan.report(true);
        ReportEvent last = strict.get(strict.size() - 1);
        assertEquals("event=cli.import_refused reason=records_skipped skipped=" + plan.counts().skipped(), last.toString());
        assertTrue(strict.stream().noneMatch(e -> e.name().equals("cli.import_complete")));
        assertEquals(plan.notices().size() + 1, strict.size());
    }
}
