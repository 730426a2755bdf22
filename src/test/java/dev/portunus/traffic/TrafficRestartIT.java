package dev.portunus.traffic;

import static dev.portunus.testing.ClientProcessSupport.cleanEnv;
import static dev.portunus.testing.ClientProcessSupport.enrollUri;
import static dev.portunus.testing.ClientProcessSupport.freePort;
import static dev.portunus.testing.ClientProcessSupport.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.testing.CliRun.Result;
import dev.portunus.testing.ClientProcessSupport;
import dev.portunus.testing.ClientProcessSupport.Server;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes (06-traffic.md §6 "Reports"): reports sent with {@code portunus-client report} to a
 * {@code serve} that is restarted between them are counted once, because the baselines live in the
 * store; the catch-up rollup runs at start without holding back readiness.
 */
class TrafficRestartIT {

    Path root;

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    /** {@code portunus-client <args>} with a clean environment whose HOME lies inside the test directory. */
    Result client(String... args) throws Exception {
        Map<String, String> env = cleanEnv();
        env.put("HOME", root.resolve("home").toString());
        return ClientProcessSupport.client(env, Files.createDirectories(root.resolve("cwd")), args);
    }

    Result report(Path bundle, Path rules, String bootId, int seq, String ruleId, long in, long out) throws Exception {
        Files.writeString(rules, "[{\"rule_id\":\"" + ruleId + "\",\"bytes_in\":" + in + ",\"bytes_out\":" + out
                + ",\"active_connections\":2}]");
        return client("report", "--bundle", bundle.toString(), "--rules-file", rules.toString(), "--boot-id", bootId, "--seq",
                String.valueOf(seq));
    }

    static JsonNode totals(Server s, String clientId) {
        long now = Instant.now().getEpochSecond();
        return s.expect(200, "GET", "/v1/clients/" + clientId + "/traffic?from=" + (now - 3600) + "&to=" + (now + 60), null);
    }

    @Test
    void reportsAcrossAServeRestartAreCountedOnce() throws Exception {
        root = TestFiles.tempDir("traffic-it-");
        int operatorPort = freePort();
        int clientPort = freePort();
        Path data = root.resolve("data");
        Path bundle = root.resolve("client.bundle.json");
        Path rules = root.resolve("rules.json");
        String clientId;
        String ruleId;
        try (Server s = serve(data, operatorPort, clientPort)) {
            s.expect(201, "POST", "/v1/users", Map.of("user_id", "alice", "display_name", "Alice", "role", "user"));
            JsonNode e = s.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "edge"));
            clientId = e.get("client_id").asText();
            Result enrolled = client("enroll", enrollUri(e), "--bundle", bundle.toString());
            assertEquals(0, enrolled.exitCode(), enrolled.stderr());
            ruleId = s.expect(201, "POST", "/v1/rules", Map.of("client", clientId, "owner", "alice", "listen_port", 4000,
                    "target_host", "backend.example", "target_port", 80)).get("rule_id").asText();

            Result first = report(bundle, rules, "it-boot-0001", 1, ruleId, 1000, 5000);
            assertEquals(0, first.exitCode(), first.stderr());
            assertTrue(first.stdout().startsWith("accepted: boot_id=it-boot-0001 seq=1 rules=1 ignored_rule_ids=[]"), first.stdout());
            assertEquals(1000, totals(s, clientId).get("total_bytes_in").asLong());
        }
        try (Server s = serve(data, operatorPort, clientPort)) {
            Eventually.within(30_000, "the catch-up rollup ran at start", () -> s.log().contains("event=traffic.rollup hours="));
            s.expect(200, "PUT", "/v1/users/alice/quotas/" + clientId, Map.of("monthly_bytes", 1_000_000));

            // The first report after the restart: only what is new since seq 1 counts (upstream would add 1500 + 7000 again).
            Result second = report(bundle, rules, "it-boot-0001", 2, ruleId, 1500, 7000);
            assertEquals(0, second.exitCode(), second.stderr());
            assertTrue(second.stdout().startsWith("accepted:"), second.stdout());
            assertTrue(second.stdout().contains("quota user_id=alice used_bytes=8500 monthly_bytes=1000000 remaining_bytes=991500 "
                    + "exceeded=false action=block"), second.stdout());
            Result retried = report(bundle, rules, "it-boot-0001", 2, ruleId, 1500, 7000);
            assertTrue(retried.stdout().startsWith("duplicate:"), retried.stdout());
            JsonNode t = totals(s, clientId);
            assertEquals(1500, t.get("total_bytes_in").asLong(), t.toString());
            assertEquals(7000, t.get("total_bytes_out").asLong(), t.toString());

            // A new boot counts from zero; the previous one is refused afterwards.
            Result fresh = client("report", "--bundle", bundle.toString(), "--rules-file", rules.toString());
            assertEquals(0, fresh.exitCode(), fresh.stderr());
            assertEquals(3000, totals(s, clientId).get("total_bytes_in").asLong());
            Result stale = report(bundle, rules, "it-boot-0001", 3, ruleId, 1600, 7000);
            assertEquals(1, stale.exitCode());
            assertTrue(stale.stderr().contains("stale_boot"), stale.stderr());
            Result missing = client("report", "--bundle", bundle.toString(), "--rules-file", root.resolve("none.json").toString());
            assertEquals(1, missing.exitCode());
            assertTrue(missing.stderr().contains("cannot read rules file"), missing.stderr());
        }
    }
}
