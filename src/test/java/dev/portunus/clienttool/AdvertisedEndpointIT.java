package dev.portunus.clienttool;

import static dev.portunus.testing.ClientProcessSupport.cleanEnv;
import static dev.portunus.testing.ClientProcessSupport.enrollUri;
import static dev.portunus.testing.ClientProcessSupport.freePort;
import static dev.portunus.testing.ClientProcessSupport.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.testing.CliRun;
import dev.portunus.testing.CliRun.Result;
import dev.portunus.testing.ClientProcessSupport;
import dev.portunus.testing.ClientProcessSupport.Server;
import dev.portunus.testing.ClientWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The advertised endpoint and re-enrollment with real processes (06-traffic.md §3, §5.1): the config
 * seed, a runtime override, codes frozen to the endpoint they were made with, and a re-enrollment
 * whose redeem retires the old token, all through {@code portunus-client}.
 */
class AdvertisedEndpointIT {

    static final String SETTINGS = "/v1/settings/advertised-endpoint";

    static Map<String, Object> override(String value) {
        Map<String, Object> body = new HashMap<>();
        body.put("advertised_endpoint", value);
        return body;
    }

    @Test
    void seedThenOverrideFrozenPerCodeAndAReEnrollmentRetiresTheOldToken() throws Exception {
        try (ClientWorkspace ws = ClientWorkspace.create("endpoint-it-")) {
            seedThenOverride(ws);
        }
    }

    private void seedThenOverride(ClientWorkspace ws) throws Exception {
        Path root = ws.root;
        int clientPort = freePort();
        String seed = "localhost:" + clientPort;
        String override = "127.0.0.1:" + clientPort;
        Path first = root.resolve("bundles/first.json");
        Path second = root.resolve("bundles/second.json");
        Files.createDirectories(first.getParent());
        try (Server s = serve(root.resolve("data"), freePort(), clientPort, Map.of("PORTUNUS_ADVERTISED_ENDPOINT", seed))) {
            JsonNode before = s.expect(200, "GET", SETTINGS, null);
            assertEquals("seed", before.get("source").asText(), before.toString());
            assertEquals(seed, before.get("effective").asText());
            assertTrue(before.get("override").isNull() && before.get("diagnostic").isNull(), before.toString());
            assertTrue(before.get("san_covered").asBoolean(), "localhost is a SAN of the generated certificate: " + before);

            JsonNode e1 = s.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "made-before"));
            assertEquals(enrollUri(e1), e1.get("uri").asText());
            assertTrue(e1.get("uri").asText().startsWith("portunus://enroll?server=" + seed + "&code="), e1.toString());

            JsonNode put = s.expect(200, "PUT", SETTINGS, override(override));
            assertEquals("override", put.get("source").asText(), put.toString());
            JsonNode e2 = s.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "made-after"));
            assertTrue(e2.get("uri").asText().startsWith("portunus://enroll?server=" + override + "&code="), e2.toString());

            // The code made before the PUT still redeems into a bundle naming the endpoint of its URI.
            Result enrolled = ws.client("enroll", e1.get("uri").asText(), "--bundle", first.toString());
            assertEquals(0, enrolled.exitCode(), enrolled.stderr());
            assertEquals(seed, ClientProcessSupport.JSON.readTree(first.toFile()).get("server").asText());
            assertEquals(0, ws.client("enroll", e2.get("uri").asText(), "--bundle", second.toString()).exitCode());
            assertEquals(override, ClientProcessSupport.JSON.readTree(second.toFile()).get("server").asText());
            Result check = ws.client("check", "--bundle", first.toString());
            assertEquals(0, check.exitCode(), check.stderr());

            // Re-enrollment: a new code for the same client; redeeming it rotates the token.
            String id = e2.get("client_id").asText();
            JsonNode again = s.expect(201, "POST", "/v1/clients/" + id + "/enrollment", Map.of());
            assertEquals("made-after", again.get("client_name").asText());
            Path old = Files.copy(second, root.resolve("bundles/second-old.json"), StandardCopyOption.COPY_ATTRIBUTES);
            assertEquals(0, ws.client("check", "--bundle", old.toString()).exitCode(), "the old token works until the redeem");
            Result reenrolled = ws.client("enroll", again.get("uri").asText(), "--bundle", second.toString(), "--force");
            assertEquals(0, reenrolled.exitCode(), reenrolled.stderr());
            assertEquals(id, ClientProcessSupport.JSON.readTree(second.toFile()).get("client_id").asText());
            Result stale = ws.client("check", "--bundle", old.toString());
            assertEquals(1, stale.exitCode(), stale.stdout());
            assertTrue(stale.stderr().contains("unauthenticated"), stale.stderr());
            Result fresh = ws.client("check", "--bundle", second.toString());
            assertEquals(0, fresh.exitCode(), fresh.stderr());
            assertTrue(fresh.stdout().contains("client_id=" + id), fresh.stdout());

            JsonNode cleared = s.expect(200, "PUT", SETTINGS, override(null));
            assertEquals("seed", cleared.get("source").asText(), cleared.toString());
            assertFalse(s.log().contains(ClientProcessSupport.OPERATOR_TOKEN), "the operator token never reaches the log");
        }
    }

    @Test
    void aBadAdvertisedEndpointStopsServeWith78NamingTheKey() throws Exception {
        try (ClientWorkspace ws = ClientWorkspace.create("endpoint-config-it-")) {
            badSeed(ws.root.resolve("data"));
        }
    }

    private static void badSeed(Path data) throws Exception {
        Path dataDir = Files.createDirectories(data);
        Files.writeString(dataDir.resolve("server.toml"), "advertised_endpoint = \"https://edge.example.net:7443\"\n");
        Result r = CliRun.create().environment(cleanEnv()).run("serve", "--data-dir", dataDir.toString());
        assertEquals(78, r.exitCode(), r.toString());
        String line = r.eventLine("startup.config_invalid");
        assertTrue(line.contains("key=advertised_endpoint") && line.contains("line=1"), line);
        assertFalse(Files.exists(dataDir.resolve("state.db")), "refused before the store was created");

        Files.delete(dataDir.resolve("server.toml"));
        Result flag = CliRun.create().environment(cleanEnv()).run("serve", "--data-dir", dataDir.toString(),
                "--advertised-endpoint", "edge.example.net:070");
        assertEquals(78, flag.exitCode(), flag.toString());
        assertTrue(flag.eventLine("startup.config_invalid").contains("key=advertised_endpoint"), flag.toString());
    }
}
