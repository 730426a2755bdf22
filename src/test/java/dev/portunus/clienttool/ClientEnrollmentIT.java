package dev.portunus.clienttool;

import static dev.portunus.testing.ClientProcessSupport.enrollUri;
import static dev.portunus.testing.ClientProcessSupport.freePort;
import static dev.portunus.testing.ClientProcessSupport.run;
import static dev.portunus.testing.ClientProcessSupport.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.testing.CliRun.Result;
import dev.portunus.testing.ClientProcessSupport.Server;
import dev.portunus.testing.ClientWorkspace;
import dev.portunus.testing.ClientProcessSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code serve} and {@code portunus-client} as real processes of the packaged jar. */
class ClientEnrollmentIT {

    ClientWorkspace ws;
    Path root;
    Path cwd;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        ws = ClientWorkspace.create("client-it-");
        root = ws.root;
        cwd = ws.cwd;
        env = ws.env;
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    Result client(String... args) {
        return ws.client(args);
    }

    @Test
    void enrollCheckRedeemTwiceExpireRevokeAndAForeignCertificate() throws Exception {
        int operatorPort = freePort();
        int clientPort = freePort();
        Path bundle = root.resolve("bundles/one.json");
        Files.createDirectories(bundle.getParent());
        Path pinnedToA = root.resolve("bundles/two.json");
        String revokedId;
        try (Server a = serve(root.resolve("data-a"), operatorPort, clientPort)) {
            assertTrue(Files.exists(a.dataDir.resolve("server.crt")), a.log());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.dataDir.resolve("server.key"))));
            JsonNode e = a.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "edge one"));
            String uri = enrollUri(e);
            assertTrue(uri.startsWith("portunus://enroll?server=127.0.0.1:" + clientPort + "&code="), uri);

            Result enrolled = client("enroll", uri, "--bundle", bundle.toString());
            assertEquals(0, enrolled.exitCode(), enrolled.stderr());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)));
            JsonNode b = ClientProcessSupport.JSON.readTree(bundle.toFile());
            assertEquals(1, b.get("version").asInt());
            assertEquals(e.get("client_id").asText(), b.get("client_id").asText());
            assertEquals("127.0.0.1:" + clientPort, b.get("server").asText());

            Result check = client("check", "--bundle", bundle.toString());
            assertEquals(0, check.exitCode(), check.stderr());
            assertTrue(check.stdout().contains("client_id=" + e.get("client_id").asText()), check.stdout());

            Result again = client("enroll", uri, "--bundle", root.resolve("bundles/again.json").toString());
            assertEquals(1, again.exitCode());
            assertTrue(again.stderr().contains("enrollment_code_used"), again.stderr());
            assertFalse(Files.exists(root.resolve("bundles/again.json")));

            JsonNode late = a.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "late", "ttl_secs", 1));
            Thread.sleep(1500);
            Result expired = client("enroll", enrollUri(late), "--bundle", root.resolve("bundles/late.json").toString());
            assertEquals(1, expired.exitCode());
            assertTrue(expired.stderr().contains("enrollment_code_expired"), expired.stderr());

            revokedId = e.get("client_id").asText();
            a.expect(200, "POST", "/v1/clients/" + revokedId + "/revoke", null);
            Result revoked = client("check", "--bundle", bundle.toString());
            assertEquals(1, revoked.exitCode());
            assertTrue(revoked.stderr().contains("unauthenticated"), revoked.stderr());

            JsonNode second = a.expect(201, "POST", "/v1/client-enrollments", Map.of("name", "edge two"));
            assertEquals(0, client("enroll", enrollUri(second), "--bundle", pinnedToA.toString()).exitCode());
        }
        // Another server (own data-dir, so its own certificate) on the same address: the pin refuses it.
        try (Server b = serve(root.resolve("data-b"), operatorPort, clientPort)) {
            Result foreign = client("check", "--bundle", pinnedToA.toString());
            assertEquals(1, foreign.exitCode());
            assertTrue(foreign.stderr().contains("refusing 127.0.0.1:" + clientPort), foreign.stderr());
        }
    }

    @Test
    void bundleSearchAndTheNoBundleErrorWithoutAStore() throws Exception {
        Path dataDir = Files.createDirectories(root.resolve("untouched-data-dir"));
        env.put("PORTUNUS_DATA_DIR", dataDir.toString());
        env.put("PORTUNUS_CLIENT_BUNDLE", root.resolve("env/b.json").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("xdg").toString());
        List<String> tried = List.of(root.resolve("env/b.json").toString(), root.resolve("xdg/portunus/client.bundle.json").toString(),
                root.resolve("home/.config/portunus/client.bundle.json").toString(), cwd.resolve("client.bundle.json").toString());

        Result none = client("check");
        assertEquals(1, none.exitCode(), none.stderr());
        List<String> lines = none.stderr().lines().toList();
        int first = lines.indexOf(tried.get(0));
        assertTrue(first > 0, none.stderr());
        assertEquals(tried, lines.subList(first, first + 4));
        assertEquals(1, client("bundle-path").exitCode());

        // The home location wins once it exists, and bundle-path prints it last.
        Path home = Path.of(tried.get(2));
        Files.createDirectories(home.getParent());
        Files.writeString(home, "{}");
        Result found = client("bundle-path");
        assertEquals(0, found.exitCode(), found.stderr());
        assertEquals(home.toString(), found.stdoutLines().get(found.stdoutLines().size() - 1));

        // An explicit --bundle that does not exist is the error, although a bundle exists elsewhere.
        Result explicit = client("check", "--bundle", root.resolve("missing.json").toString());
        assertEquals(1, explicit.exitCode());
        assertTrue(explicit.stderr().contains(root.resolve("missing.json").toString()), explicit.stderr());

        Result unset = run(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin")), cwd, "client", "bundle-path");
        assertEquals(1, unset.exitCode());
        assertTrue(unset.stderr().contains("$PORTUNUS_CLIENT_BUNDLE: skipped (unset)"), unset.stderr());
        assertTrue(unset.stderr().contains("$HOME: skipped (unset)"), unset.stderr());

        // The client commands never opened a store.
        try (var files = Files.list(dataDir)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
