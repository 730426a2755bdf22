package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.crypto.Ulid;
import dev.portunus.ops.legacy.ImportPlan.ClientTokenRow;
import dev.portunus.ops.legacy.ImportPlan.CredentialRow;
import dev.portunus.ops.legacy.ImportPlan.GrantRow;
import dev.portunus.ops.legacy.ImportPlan.RuleRow;
import dev.portunus.ops.legacy.ImportPlan.RuleTargetRow;
import dev.portunus.ops.legacy.ImportPlan.UserRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The realistic small set (valid-small) row by row, and its API-dump twin (valid-api-dump, §5.3). */
class ValidSetImportTest {

    private static String h(String name) {
        return Fixtures.tokenHash("valid-small", name);
    }

    private static RuleRow rule(String id, String client, String owner, int listen, int listenEnd, String host,
            Integer port, Integer portEnd, String protocol, int preferIpv6, Integer health, String created,
            String updated) {
        return new RuleRow(id, client, owner, listen, listenEnd, host, port, portEnd, protocol, null, preferIpv6, health,
                null, null, null, null, null, null, null, "Pending", created, updated);
    }

    /** The first 10 characters of a ULID are its time; new ids must carry the legacy record's time (§6.1, §6.5). */
    private static void assertTimePrefix(String rfc3339, String id) {
        assertEquals(Ulid.at(Instant.parse(rfc3339).toEpochMilli()).substring(0, 10), id.substring(0, 10), id);
        assertTrue(Ulid.looksLikeUlid(id), id);
    }

    @Test
    void everyRowOfTheSmallSet() {
        ImportPlan plan = Fixtures.plan("valid-small");
        assertNull(plan.refusal());
        assertEquals(List.of(), plan.skips());
        assertTrue(plan.enabledSuperadmin());
        assertTrue(plan.writable(true));

        Map<String, String> clients = plan.mappings().clientIds();
        assertEquals(List.of("edge-1", "edge-2", "home"), List.copyOf(clients.keySet()));
        String edge1 = clients.get("edge-1");
        String edge2 = clients.get("edge-2");
        String home = clients.get("home");
        assertTimePrefix("2025-01-10T08:00:00.123Z", edge1);
        assertTimePrefix("2025-02-01T09:30:00Z", edge2);
        assertTimePrefix("2025-03-15T12:00:00Z", home);
        assertEquals(List.of(
                new ClientTokenRow(edge1, "edge-1", h("edge-1"), null, "2025-01-10T08:00:00.123Z", null, null),
                new ClientTokenRow(edge2, "edge-2", h("edge-2"), null, "2025-02-01T09:30:00.000Z",
                        "2025-06-01T00:00:00.500Z", null),
                new ClientTokenRow(home, "home", h("home"), null, "2025-03-15T12:00:00.000Z", null, null)),
                plan.rows().clientTokens());

        assertEquals(List.of(
                new UserRow("legacy", "superadmin", "operator_token shortcut", 0, null, 0, "2025-01-01T00:00:00.250Z"),
                new UserRow("superadmin", "superadmin", "Superadmin", 0, null, 0, "2025-01-02T10:00:00.000Z"),
                new UserRow("alice", "user", "Alice Ä. Example", 0, null, 0, "2025-01-20T13:59:59.999Z"),
                new UserRow("bob", "user", "Bob", 1, null, 0, "2025-02-28T22:00:00.000Z")),
                plan.rows().users());

        assertEquals(List.of(
                new CredentialRow("01JGFJJZ7TWXWCBYB6WK952SWA", "legacy", h("cred-0"), "operator_token (server.toml)",
                        "active", "2025-01-01T00:00:00.250Z", null, null),
                new CredentialRow("01JGK7AA800432CF1XMWCEJZ05", "superadmin", h("cred-1"), "bootstrap", "active",
                        "2025-01-02T10:00:00.000Z", null, "2025-07-01T17:45:12.998Z"),
                new CredentialRow("01JJ206Q7MXHT5GMEJ146S6JR4", "alice", h("cred-2"), "laptop", "active",
                        "2025-01-20T14:00:00.500Z", null, null),
                new CredentialRow("01JK5E11X010DD3YRST4CHN5KN", "alice", h("cred-3"), null, "revoked",
                        "2025-02-03T08:15:00.000Z", "2025-04-01T00:00:00.000Z", null),
                new CredentialRow("01JN7G1C000T78F603XZBCWC8T", "bob", h("cred-4"), "ci", "active",
                        "2025-03-01T00:00:00.000Z", null, "2025-03-02T00:00:00.000Z")),
                plan.rows().credentials());

        assertEquals(List.of(
                new GrantRow("01JJ41E3M0R7STD0HK1DBS629D", "alice", edge1, 8000, 8099, "tcp", "web",
                        "2025-01-21T09:00:00.000Z"),
                new GrantRow("01JJ6KTTM0WG0NJR445DF0QQX8", "alice", "*", 20000, 20010, "both", null,
                        "2025-01-22T09:00:00.000Z"),
                new GrantRow("01JPF2WXM0Y8RB9KEFCACRY5T3", "bob", home, 9000, 9000, "udp", null,
                        "2025-03-16T09:00:00.000Z")),
                plan.rows().grants());

        Map<String, String> rules = plan.mappings().ruleIds();
        assertEquals(List.of("0", "1", "2", "3"), List.copyOf(rules.keySet()));
        assertTimePrefix("2025-01-21T10:00:00.123Z", rules.get("0"));
        assertTimePrefix("2025-03-16T10:00:00Z", rules.get("2"));
        assertEquals(List.of(
                rule(rules.get("0"), edge1, "alice", 8080, 8080, "10.0.0.5", 80, 80, "tcp", 0, null,
                        "2025-01-21T10:00:00.123Z", "2025-01-21T10:00:01.000Z"),
                rule(rules.get("1"), edge1, "alice", 8081, 8090, "backend.internal", 9081, 9090, "tcp", 1, null,
                        "2025-01-21T11:00:00.000Z", "2025-01-21T11:00:00.000Z"),
                rule(rules.get("2"), home, "bob", 9000, 9000, null, null, null, "udp", 0, 30,
                        "2025-03-16T10:00:00.000Z", "2025-03-16T10:00:02.500Z"),
                rule(rules.get("3"), edge1, "superadmin", 20005, 20005, "db.example.com", 5432, 5432, "udp", 0, null,
                        "2025-02-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z")),
                plan.rows().rules());
        assertEquals(List.of(
                new RuleTargetRow(rules.get("2"), 0, "192.168.1.10", 53, 0, null),
                new RuleTargetRow(rules.get("2"), 1, "192.168.1.11", 53, 1, null),
                new RuleTargetRow(rules.get("2"), 2, "dns.example.net", 5353, 1, null)),
                plan.rows().ruleTargets());

        assertEquals(new ImportPlan.Counts(4, 5, 3, 3, 4, 3, 0, 3), plan.counts());
        assertEquals(List.of(
                "event=import.record_warning file=identity.json kind=user index=0 key=_legacy code=user_renamed to=legacy",
                "event=import.record_warning file=identity.json kind=user index=0 key=_legacy code=legacy_operator_token_user",
                "event=import.record_warning file=identity.json kind=user index=1 key=_superadmin code=user_renamed to=superadmin",
                "event=cli.import_complete users=4 credentials=5 grants=3 clients=3 rules=4 rule_targets=3 skipped=0 warnings=3",
                "event=import.mapping kind=user from=_legacy to=legacy",
                "event=import.mapping kind=user from=_superadmin to=superadmin",
                "event=import.mapping kind=client from=edge-1 to=" + edge1,
                "event=import.mapping kind=client from=edge-2 to=" + edge2,
                "event=import.mapping kind=client from=home to=" + home,
                "event=import.mapping kind=rule from=0 to=" + rules.get("0"),
                "event=import.mapping kind=rule from=1 to=" + rules.get("1"),
                "event=import.mapping kind=rule from=2 to=" + rules.get("2"),
                "event=import.mapping kind=rule from=3 to=" + rules.get("3")),
                Fixtures.lines(plan.report(false)));
        assertEquals("users=4 credentials=5 grants=3 clients=3 rules=4 rule_targets=3 skipped=0 warnings=3",
                plan.counts().summary());
    }

    @Test
    void theApiDumpGivesTheSameRowsAsTheCanonicalShape() {
        ImportPlan canonical = Fixtures.plan("valid-small");
        ImportPlan dump = Fixtures.plan("valid-api-dump");
        assertNull(dump.refusal());
        assertEquals(Fixtures.lines(canonical.report(false)).subList(0, 4), Fixtures.lines(dump.report(false)).subList(0, 4));
        assertEquals(canonical.counts(), dump.counts());
        assertEquals(canonical.warnings(), dump.warnings());
        assertEquals(canonical.rows().users(), dump.rows().users());
        assertEquals(canonical.rows().credentials(), dump.rows().credentials());
        assertEquals(stable(canonical).grants(), stable(dump).grants());
        assertEquals(stable(canonical).clientTokens(), stable(dump).clientTokens());
        assertEquals(stable(canonical).rules(), stable(dump).rules());
        assertEquals(stable(canonical).ruleTargets(), stable(dump).ruleTargets());
    }

    /** The rows with every freshly minted id replaced by the legacy name or id it maps from. */
    private static ImportPlan.Rows stable(ImportPlan plan) {
        Map<String, String> back = new HashMap<>();
        plan.mappings().clientIds().forEach((name, id) -> back.put(id, "client:" + name));
        plan.mappings().ruleIds().forEach((legacy, id) -> back.put(id, "rule:" + legacy));
        UnaryOperator<String> m = id -> back.getOrDefault(id, id);
        ImportPlan.Rows r = plan.rows();
        return new ImportPlan.Rows(r.users(),
                r.clientTokens().stream().map(c -> new ClientTokenRow(m.apply(c.id()), c.displayName(), c.tokenHash(),
                        c.address(), c.issuedAt(), c.revokedAt(), c.lastSeenAt())).toList(),
                r.credentials(),
                r.grants().stream().map(g -> new GrantRow(g.id(), g.userId(), m.apply(g.client()), g.listenPortStart(),
                        g.listenPortEnd(), g.protocols(), g.note(), g.createdAt())).toList(),
                r.rules().stream().map(x -> rule(m.apply(x.id()), m.apply(x.clientId()), x.ownerId(), x.listenPort(),
                        x.listenPortEnd(), x.targetHost(), x.targetPort(), x.targetPortEnd(), x.protocol(), x.preferIpv6(),
                        x.healthCheckIntervalSecs(), x.createdAt(), x.updatedAt())).toList(),
                r.ruleTargets().stream().map(t -> new RuleTargetRow(m.apply(t.ruleId()), t.idx(), t.host(), t.port(),
                        t.priority(), t.proxyProtocol())).toList());
    }
}
