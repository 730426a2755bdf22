package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Record-level rules that need a particular combination of records (§5.3, §7.3 phases 4–6, §7.4,
 * §7.5), written inline so that each case shows the records it is about.
 */
class RecordRulesTest {

    private static final String T = "2025-01-01T00:00:00Z";
    private static final String CLIENTS = tokens("a", "b");

    private static String tokens(String... names) {
        StringBuilder out = new StringBuilder("{\"version\": 1, \"tokens\": [");
        for (int i = 0; i < names.length; i++) {
            out.append(i == 0 ? "" : ", ").append("{\"client_name\": \"").append(names[i])
                    .append("\", \"token_hash\": \"").append(Fixtures.hash("rules", names[i]))
                    .append("\", \"issued_at\": \"").append(T).append("\"}");
        }
        return out.append("]}").toString();
    }

    private static String user(String id, String role) {
        return "{\"id\": \"" + id + "\", \"display_name\": \"" + id + "\", \"role\": \"" + role + "\", \"created_at\": \"" + T
                + "\"}";
    }

    private static String identity(String users, String grants) {
        return "{\"version\": 1, \"users\": [" + users + "], \"grants\": [" + grants + "]}";
    }

    private static final String ADMIN_ONLY = identity(user("_superadmin", "superadmin"), "");

    /** A rule record; {@code extra} is spliced in as further members. */
    private static String rule(long id, String client, int port, String state, String created, String owner, String extra) {
        return "{\"id\": " + Long.toUnsignedString(id) + ", \"client_name\": \"" + client + "\", \"listen_port\": " + port
                + ", \"target_host\": \"10.0.0.1\", \"target_port\": 80, \"protocol\": \"tcp\", \"state\": {\"kind\": \""
                + state + "\"}, \"created_at\": \"" + created + "\", \"last_state_change_at\": \"" + created
                + "\", \"owner_user_id\": \"" + owner + "\"" + extra + "}";
    }

    private static String rule(long id, int port, String extra) {
        return rule(id, "a", port, "active", T, "_superadmin", extra);
    }

    private static ImportPlan plan(String tokens, String identity, String rules) {
        return Fixtures.plan(Fixtures.dirWith(tokens, identity, rules));
    }

    private static ImportPlan planRules(String... rules) {
        return plan(CLIENTS, ADMIN_ONLY, "{\"version\": 1, \"rules\": [" + String.join(", ", rules) + "]}");
    }

    private static ImportPlan planDump(String... rules) {
        return plan(CLIENTS, ADMIN_ONLY, "[" + String.join(", ", rules) + "]");
    }

    /** index → reason of the rule skips. */
    private static Map<Integer, SkipReason> ruleSkips(ImportPlan plan) {
        return plan.skips().stream().filter(s -> s.kind() == RecordKind.RULE)
                .collect(Collectors.toMap(ImportPlan.Skip::index, ImportPlan.Skip::reason));
    }

    private static List<String> ruleWarnings(ImportPlan plan) {
        return plan.warnings().stream().filter(w -> w.kind() == RecordKind.RULE)
                .map(w -> w.index() + " " + w.code().code()).toList();
    }

    @Test
    void inTheDumpAOneEntryTargetListIsSingleTargetOnlyWhenItMirrorsTheRule() {
        ImportPlan plan = planDump(
                rule(1, 1001, ", \"targets\": [{\"host\": \"10.0.0.1\", \"port\": 80, \"priority\": 0, \"health\": null}]"),
                rule(2, 1002, ", \"targets\": [{\"host\": \"10.0.0.9\", \"port\": 80, \"priority\": 0,"
                        + " \"health\": {\"healthy\": false}}]"),
                rule(3, 1003, ", \"targets\": []"),
                rule(4, 1004, ""));
        assertEquals(Map.of(2, SkipReason.INVALID_TARGET), ruleSkips(plan));
        List<ImportPlan.RuleRow> rows = plan.rows().rules();
        assertEquals("10.0.0.1", rows.get(0).targetHost());
        assertNull(rows.get(1).targetHost());
        assertEquals("10.0.0.1", rows.get(2).targetHost());
        assertEquals(List.of(new ImportPlan.RuleTargetRow(rows.get(1).id(), 0, "10.0.0.9", 80, 0, null)),
                plan.rows().ruleTargets());
        assertEquals(List.of(), ruleWarnings(plan), "the dump's per-target health is expected, not an unknown field");
    }

    @Test
    void inTheCanonicalShapeAOneEntryListStaysMultiTargetAndHealthIsUnknown() {
        ImportPlan plan = planRules(rule(1, 1001, ", \"targets\": [{\"host\": \"10.0.0.1\", \"port\": 80, \"health\": null}]"));
        assertNull(plan.rows().rules().get(0).targetHost());
        assertEquals(1, plan.counts().ruleTargets());
        assertEquals(List.of("0 unknown_field"), ruleWarnings(plan));
    }

    @Test
    void conflictsKeepActiveThenFailedThenPendingThenOldestThenLowestId() {
        String failed = "failed\", \"reason\": \"x";
        ImportPlan plan = planRules(
                rule(1, "a", 100, "pending", "2020-01-01T00:00:00Z", "_superadmin", ""),
                rule(2, "a", 100, failed, "2024-01-01T00:00:00Z", "_superadmin", ""),
                rule(3, "a", 200, "pending", "2024-01-01T00:00:00Z", "_superadmin", ""),
                rule(4, "a", 200, "pending", "2023-12-31T23:59:59.999999999Z", "_superadmin", ""),
                rule(Long.MIN_VALUE /* 2^63, above every signed id */, "a", 300, "active", T, "_superadmin", ""),
                rule(5, "a", 300, "active", T, "_superadmin", ""),
                rule(6, "a", 95, "active", T, "_superadmin", ", \"listen_port_end\": 105, \"target_port_end\": 90"),
                rule(7, "b", 100, "pending", T, "_superadmin", ""),
                rule(8, "a", 100, "active", T, "_superadmin", ", \"comment\": \"copy\""));
        // Legacy ids: 6 (active, 95-105) beats 2 (failed) and 1 (pending) on port 100; 4 is older than 3;
        // 5 < 2^63 on port 300; 7 is on another client; 8 is active too but comes after 6 by id.
        assertEquals(Map.of(0, SkipReason.LISTEN_PORT_CONFLICT, 1, SkipReason.LISTEN_PORT_CONFLICT,
                2, SkipReason.LISTEN_PORT_CONFLICT, 4, SkipReason.LISTEN_PORT_CONFLICT,
                8, SkipReason.LISTEN_PORT_CONFLICT), ruleSkips(plan));
        assertEquals(List.of("4", "5", "6", "7"), List.copyOf(plan.mappings().ruleIds().keySet()));
    }

    @Test
    void sameListenPortsOnAnotherProtocolDoNotConflict() {
        ImportPlan plan = planRules(rule(1, 100, ""), rule(2, 100, "").replace("\"tcp\"", "\"udp\""),
                rule(3, 100, "").replace("\"tcp\"", "\"Udp\""));
        assertEquals(Map.of(2, SkipReason.LISTEN_PORT_CONFLICT), ruleSkips(plan));
        assertEquals(List.of("tcp", "udp"), plan.rows().rules().stream().map(ImportPlan.RuleRow::protocol).toList());
    }

    @Test
    void aPlainOwnerNeedsOneImportedGrantCoveringClientPortsAndProtocol() {
        String grants = String.join(", ",
                grant("01JGK7AA80BBBBBBBBBBBBBBB1", "a", 1000, 1009, "[\"tcp\"]"),
                grant("01JGK7AA80BBBBBBBBBBBBBBB2", "*", 2000, 2000, "[\"udp\", \"tcp\"]"),
                grant("01JGK7AA80BBBBBBBBBBBBBBB3", "b", 3000, 3000, "[\"tcp\"]"),
                grant("01JGK7AA80BBBBBBBBBBBBBBB4", "a", 4000, 4000, "[]"));
        String users = user("_superadmin", "superadmin") + ", " + user("u", "user");
        String range = ", \"listen_port_end\": 1010, \"target_port_end\": 89";
        ImportPlan plan = plan(CLIENTS, identity(users, grants), "{\"version\": 1, \"rules\": [" + String.join(", ",
                rule(1, "a", 1000, "active", T, "u", ""),
                rule(2, "a", 1001, "active", T, "u", range),
                rule(3, "b", 2000, "active", T, "u", ""),
                rule(4, "a", 3000, "active", T, "u", ""),
                rule(5, "a", 1005, "active", T, "u", "").replace("\"tcp\"", "\"udp\""),
                rule(6, "a", 4000, "active", T, "u", ""),
                rule(7, "a", 5000, "active", T, "_superadmin", "")) + "]}");
        // 2 spans 1001-1010 but the grant ends at 1009; 4 is on client a, the grant on b; 5 is udp;
        // 6's grant was skipped (no protocols); the superadmin needs no grant.
        assertEquals(List.of("1 rule_outside_grants", "3 rule_outside_grants", "4 rule_outside_grants",
                "5 rule_outside_grants"), ruleWarnings(plan));
    }

    private static String grant(String id, String client, int start, int end, String protocols) {
        return "{\"id\": \"" + id + "\", \"user_id\": \"u\", \"client\": \"" + client + "\", \"listen_port_start\": " + start
                + ", \"listen_port_end\": " + end + ", \"protocols\": " + protocols + ", \"created_at\": \"" + T + "\"}";
    }

    @Test
    void reservedIdsAvoidRegularIdsAndEarlierRenames() {
        String users = String.join(", ", user("_e-imported", "user"), user("e", "user"), user("_e", "user"),
                user("_f", "user"), user("f", "user"), user("f-imported", "user"), user("_" + "g".repeat(31), "user"),
                user("g".repeat(31), "user"), user("_superadmin", "superadmin"));
        ImportPlan plan = plan(CLIENTS, identity(users, ""), "[]");
        // _e: e is a regular user, e-imported was taken by the rename of _e-imported just before.
        // _f: f and f-imported are regular users. _ggg…: ggg… is taken and ggg…-imported is over 32 characters.
        assertEquals(Map.of(2, SkipReason.RESERVED_ID_UNMAPPABLE, 3, SkipReason.RESERVED_ID_UNMAPPABLE,
                6, SkipReason.RESERVED_ID_UNMAPPABLE), plan.skips().stream()
                        .collect(Collectors.toMap(ImportPlan.Skip::index, ImportPlan.Skip::reason)));
        assertEquals(Map.of("_e-imported", "e-imported", "_superadmin", "superadmin"), plan.mappings().userRenames());
    }

    @Test
    void aClientSkippedForItsHashTakesItsGrantsAndRulesWithIt() {
        String twins = tokens("a", "b").replace(Fixtures.hash("rules", "b"), Fixtures.hash("rules", "a"));
        String users = user("_superadmin", "superadmin") + ", " + user("u", "user");
        ImportPlan plan = plan(twins, identity(users, grant("01JGK7AA80BBBBBBBBBBBBBBB1", "b", 1, 9, "[\"tcp\"]")),
                "[" + rule(1, "b", 5, "active", T, "u", "") + "]");
        assertEquals(List.of("client 0 duplicate_token_hash", "client 1 duplicate_token_hash",
                "grant 0 client_not_imported", "rule 0 client_not_imported"), plan.skips().stream()
                        .map(s -> s.kind().code() + " " + s.index() + " " + s.reason().code()).toList());
    }

    @Test
    void nullMeansAbsentWhereSerdeReadAnOption() {
        ImportPlan plan = planRules(rule(1, 100, ", \"listen_port_end\": null, \"target_port_end\": null,"
                + " \"prefer_ipv6\": null, \"health_check_interval_secs\": null, \"targets\": null"),
                rule(2, 200, ", \"owner_user_id\": null").replace(", \"owner_user_id\": \"_superadmin\"", ""),
                rule(3, 300, ", \"health_check_interval_secs\": 7200"));
        assertEquals(Map.of(1, SkipReason.OWNER_MISSING), ruleSkips(plan));
        ImportPlan.RuleRow r = plan.rows().rules().get(0);
        assertEquals(List.of(100, 80, 0), List.of(r.listenPortEnd(), r.targetPortEnd(), r.preferIpv6()));
        assertNull(r.healthCheckIntervalSecs());
        assertEquals(7200, plan.rows().rules().get(1).healthCheckIntervalSecs());
        // A user's disabled flag is not an Option: null is a wrong JSON type.
        ImportPlan users = plan(CLIENTS, identity(user("_superadmin", "superadmin").replace("}", ", \"disabled\": null}"),
                ""), "[]");
        assertEquals(List.of(SkipReason.INVALID_RECORD), users.skips().stream().map(ImportPlan.Skip::reason).toList());
    }

    @Test
    void aDisabledSuperadminDoesNotCloseOnboarding() {
        ImportPlan plan = plan(CLIENTS, identity(user("_superadmin", "superadmin").replace("}", ", \"disabled\": true}"),
                ""), "[]");
        assertFalse(plan.enabledSuperadmin());
        assertEquals(List.of(WarningCode.USER_RENAMED, WarningCode.NO_SUPERADMIN_IMPORTED),
                plan.warnings().stream().map(ImportPlan.Warning::code).toList());
    }
}
