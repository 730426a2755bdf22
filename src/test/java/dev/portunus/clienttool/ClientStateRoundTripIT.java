package dev.portunus.clienttool;

import static dev.portunus.testing.ClientProcessSupport.cleanEnv;
import static dev.portunus.testing.ClientProcessSupport.enrollUri;
import static dev.portunus.testing.ClientProcessSupport.freePort;
import static dev.portunus.testing.ClientProcessSupport.run;
import static dev.portunus.testing.ClientProcessSupport.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portunus.testing.CliRun.Result;
import dev.portunus.testing.ClientProcessSupport.Server;
import dev.portunus.testing.ClientProcessSupport;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules (with targets), clients, owner envelopes and quotas survive a restart, and a
 * {@code backup} → {@code reset --confirm} → {@code restore} round trip, byte for byte as the API
 * shows them; the enrolled client still passes {@code check} (token and TLS material kept).
 */
class ClientStateRoundTripIT {

    Path root;
    Path data;
    Map<String, String> env;
    int operatorPort;
    int clientPort;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("client-roundtrip-");
        data = root.resolve("data");
        env = cleanEnv();
        operatorPort = freePort();
        clientPort = freePort();
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void restartAndBackupResetRestoreKeepEveryRuleTargetClientEnvelopeAndQuota() throws Exception {
        Path bundle = root.resolve("client.bundle.json");
        String clientId;
        JsonNode before;
        try (Server s = serve(data, operatorPort, clientPort)) {
            s.expect(201, "POST", "/v1/users", Map.of("user_id", "ulla", "display_name", "Ulla", "role", "user"));
            JsonNode e = s.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "edge", "address", "192.0.2.10"));
            clientId = e.get("client_id").asText();
            Result enrolled = run(env, root, "client", "enroll", enrollUri(e), "--bundle", bundle.toString());
            assertEquals(0, enrolled.exitCode(), enrolled.stderr());
            s.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "pending twin"));
            s.expect(201, "POST", "/v1/rules", Map.of("client", clientId, "owner", "ulla", "listen_port", 8443,
                    "target_host", "10.1.1.1", "target_port", 443, "sni_pattern", "*.example.org",
                    "rate_limit", Map.of("bandwidth_in_bps", 1000, "bandwidth_in_burst", 3000)));
            s.expect(201, "POST", "/v1/rules", Map.of("client", clientId, "owner", "ulla", "listen_port", 9000,
                    "protocol", "udp", "health_check_interval_secs", 15, "prefer_ipv6", true,
                    "targets", List.of(Map.of("host", "a.example", "port", 53, "priority", 1, "proxy_protocol", "v1"),
                            Map.of("host", "2001:db8::53", "port", 53, "priority", 2))));
            s.expect(201, "POST", "/v1/rules", Map.of("client", clientId, "owner", "ulla", "listen_port", 10000,
                    "listen_port_end", 10010, "target_host", "b.example", "target_port", 20000, "target_port_end", 20010));
            s.expect(200, "PUT", "/v1/clients/" + clientId + "/owners/ulla/rate-limit", Map.of("concurrent_connections", 100));
            s.expect(200, "PUT", "/v1/users/ulla/quotas/" + clientId, Map.of("monthly_bytes", 5_000_000_000L, "reset_day", 9,
                    "action", "notify"));
            before = snapshot(s, clientId);
            assertEquals(3, before.get("rules").size());
        }

        try (Server s = serve(data, operatorPort, clientPort)) {
            assertEquals(before, snapshot(s, clientId), "after a restart");
        }
        assertCheckPasses(bundle);

        Path backup = root.resolve("backup.db");
        try (Server s = serve(data, operatorPort, clientPort)) {
            Result b = run(env, root, "backup", "--out", backup.toString(), "--data-dir", data.toString());
            assertEquals(0, b.exitCode(), b.stderr());
        }
        String cert = Files.readString(data.resolve("server.crt"));
        Result reset = run(env, root, "reset", "--confirm", "--data-dir", data.toString());
        assertEquals(0, reset.exitCode(), reset.stderr());
        assertFalse(Files.exists(data.resolve("state.db")));
        assertEquals(cert, Files.readString(data.resolve("server.crt")), "reset never touches the TLS material");
        try (Server empty = serve(data, operatorPort, clientPort)) {
            assertEquals(0, empty.expect(200, "GET", "/v1/clients", null).size());
        }
        Result restore = run(env, root, "restore", "--in", backup.toString(), "--data-dir", data.toString(), "--force");
        assertEquals(0, restore.exitCode(), restore.stderr());
        try (Server s = serve(data, operatorPort, clientPort)) {
            assertEquals(before, snapshot(s, clientId), "after backup, reset and restore");
        }
        assertCheckPasses(bundle);
    }

    private void assertCheckPasses(Path bundle) {
        try (Server s = serve(data, operatorPort, clientPort)) {
            Result check = run(env, root, "client", "check", "--bundle", bundle.toString());
            assertEquals(0, check.exitCode(), check.stderr() + "\n" + s.log());
            assertTrue(check.stdout().startsWith("ok: "), check.stdout());
        }
    }

    /** What the API shows of the client state; "connected" and "last_seen_at" move with time and checks. */
    private static JsonNode snapshot(Server s, String clientId) {
        ObjectNode out = ClientProcessSupport.JSON.createObjectNode();
        JsonNode clients = s.expect(200, "GET", "/v1/clients", null);
        clients.forEach(c -> ((ObjectNode) c).remove(List.of("connected", "last_seen_at")));
        out.set("clients", clients);
        out.set("rules", s.expect(200, "GET", "/v1/rules", null));
        out.set("owners", s.expect(200, "GET", "/v1/clients/" + clientId + "/owners", null));
        out.set("envelope", s.expect(200, "GET", "/v1/clients/" + clientId + "/owners/ulla/rate-limit", null));
        out.set("quotas_by_user", s.expect(200, "GET", "/v1/users/ulla/quotas", null));
        out.set("quotas_by_client", s.expect(200, "GET", "/v1/clients/" + clientId + "/quotas", null));
        return out;
    }
}
