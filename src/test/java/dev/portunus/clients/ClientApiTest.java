package dev.portunus.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.clienttool.BundleFile;
import dev.portunus.clienttool.ClientActions;
import dev.portunus.clienttool.PinnedHttps;
import dev.portunus.config.PortunusConfig;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.TempStoreResource;
import dev.portunus.testing.TestFiles;
import dev.portunus.tls.TlsMaterial;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class ClientApiTest {

    @Inject
    Store store;

    @Inject
    ClientEndpoint endpoint;

    @Inject
    PortunusConfig config;

    Path tmp;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void setUp() {
        tmp = TestFiles.tempDir("client-api-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(tmp);
    }

    static RequestSpecification operator() {
        return given().auth().oauth2(TempStoreResource.OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    ClientActions actions() {
        out = new StringWriter();
        err = new StringWriter();
        return new ClientActions(Map.of(), tmp, new PrintWriter(out), new PrintWriter(err));
    }

    static String uri(Map<String, Object> enrollment) {
        Matcher m = Pattern.compile("^portunus-client enroll '(portunus://enroll\\?[^']+)'$").matcher((String) enrollment.get("command"));
        assertTrue(m.matches(), (String) enrollment.get("command"));
        return m.group(1);
    }

    @Test
    void enrollmentAnswersAReadyToPasteCommandAndStoresOnlyHashes() throws Exception {
        Map<String, Object> e = operator().body(Map.of("name", "edge one", "address", "203.0.113.7", "ttl_secs", 120))
                .when().post("/v1/client-enrollments").then().statusCode(201)
                .body("client_id", matchesPattern("[0-9A-HJKMNP-TV-Z]{26}"))
                .body("client_name", equalTo("edge one"))
                .body("expires_at", notNullValue())
                .extract().jsonPath().getMap("$");
        String fp = TlsMaterial.fingerprint(config.dataDir().resolve("server.crt"));
        assertEquals("portunus://enroll?server=127.0.0.1:" + endpoint.port() + "&code=" + e.get("code") + "&fp=" + fp, uri(e));
        String code = (String) e.get("code");
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM client_enrollments WHERE code_hash = ?", code)));
        assertEquals(1L, (long) store.read(h -> h.count("SELECT count(*) FROM client_enrollments WHERE code_hash = ?",
                Secrets.blake3Hex(code))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.dataDir().resolve("server.key"))));

        operator().body(Map.of("name", " ")).when().post("/v1/client-enrollments").then().statusCode(422).body("error.code", equalTo("invalid_name"));
        operator().body(Map.of("name", "x", "ttl_secs", 0)).when().post("/v1/client-enrollments").then().statusCode(422)
                .body("error.code", equalTo("invalid_ttl_secs"));
        operator().body(Map.of("name", "x", "extra", 1)).when().post("/v1/client-enrollments").then().statusCode(422)
                .body("error.code", equalTo("unknown_field"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).when().post("/v1/client-enrollments").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(401), equalTo(503))); // 503 while onboarding is open
    }

    @Test
    void redeemWritesTheBundleOnceAndWhoamiKnowsTheClient() throws Exception {
        Map<String, Object> e = ClientFixtures.enrollment("edge-redeem");
        String id = (String) e.get("client_id");
        Path bundle = tmp.resolve("b/client.bundle.json");
        Files.createDirectories(bundle.getParent());
        assertEquals(0, actions().enroll(uri(e), Optional.of(bundle), false), err.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)));
        BundleFile.read(bundle); // validates
        Map<?, ?> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(bundle.toFile(), Map.class);
        assertEquals(1, json.get("version"));
        assertEquals(id, json.get("client_id"));
        assertEquals("127.0.0.1:" + endpoint.port(), json.get("server"));
        assertEquals(endpoint.fingerprint(), json.get("server_cert_sha256"));
        String token = (String) json.get("token");
        assertEquals(1L, (long) store.read(h -> h.count("SELECT count(*) FROM client_tokens WHERE id = ? AND token_hash = ?",
                id, Secrets.blake3Hex(token))));

        // The same code a second time fails, and the bundle is not overwritten without --force.
        Path second = tmp.resolve("second.json");
        assertEquals(1, actions().enroll(uri(e), Optional.of(second), false));
        assertTrue(err.toString().contains("enrollment_code_used"), err.toString());
        assertFalse(Files.exists(second));
        assertEquals(1, actions().enroll(uri(e), Optional.of(bundle), false));
        assertTrue(err.toString().contains("--force"), err.toString());
        Map<String, Object> replacement = ClientFixtures.enrollment("edge-replacement");
        assertEquals(1, actions().enroll(uri(replacement), Optional.of(bundle), false));
        assertEquals(id, BundleFile.read(bundle).clientId(), "refused without --force: the old bundle stays");
        assertEquals(0, actions().enroll(uri(replacement), Optional.of(bundle), true), err.toString());
        assertEquals(replacement.get("client_id"), BundleFile.read(bundle).clientId());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)));
        String current = (String) replacement.get("client_id");

        operator().when().get("/v1/clients").then().statusCode(200).body("client_id", hasItem(current));
        operator().when().get("/v1/clients/" + current).then().statusCode(200).body("connected", equalTo(false))
                .body("last_seen_at", nullValue()).body("address", nullValue());
        assertEquals(0, actions().check(Optional.of(bundle)), err.toString());
        assertTrue(out.toString().startsWith("ok: client_id=" + current + " client_name=edge-replacement"), out.toString());
        operator().when().get("/v1/clients/" + current).then().statusCode(200).body("connected", equalTo(true))
                .body("last_seen_at", notNullValue());

        // Revoked: whoami answers 401 and check fails with the reason.
        operator().when().post("/v1/clients/" + current + "/revoke").then().statusCode(200).body("revoked_at", notNullValue())
                .body("connected", equalTo(false));
        assertEquals(1, actions().check(Optional.of(bundle)));
        assertTrue(err.toString().contains("unauthenticated"), err.toString());
    }

    @Test
    void anExpiredCodeFailsAndARevokedClientCannotRedeem() throws Exception {
        Map<String, Object> expired = operator().body(Map.of("name", "late", "ttl_secs", 1)).when().post("/v1/client-enrollments")
                .then().statusCode(201).extract().jsonPath().getMap("$");
        Thread.sleep(1100);
        assertEquals(1, actions().enroll(uri(expired), Optional.of(tmp.resolve("x.json")), false));
        assertTrue(err.toString().contains("enrollment_code_expired"), err.toString());

        Map<String, Object> revoked = ClientFixtures.enrollment("revoked-early");
        operator().when().post("/v1/clients/" + revoked.get("client_id") + "/revoke").then().statusCode(200);
        assertEquals(1, actions().enroll(uri(revoked), Optional.of(tmp.resolve("y.json")), false));
        assertTrue(err.toString().contains("client_revoked"), err.toString());
        assertEquals(1, actions().enroll(uri(revoked).replaceAll("code=[^&]+", "code=nope"), Optional.of(tmp.resolve("z.json")), false));
        assertTrue(err.toString().contains("invalid_enrollment_code"), err.toString());
    }

    @Test
    void aDifferentCertificateIsRefusedByThePin() throws Exception {
        Map<String, Object> e = ClientFixtures.enrollment("pinned");
        String wrongPin = "0".repeat(64);
        String tampered = uri(e).replaceAll("fp=[0-9a-f]+", "fp=" + wrongPin);
        assertEquals(1, actions().enroll(tampered, Optional.of(tmp.resolve("p.json")), false));
        assertTrue(err.toString().contains("refusing 127.0.0.1:" + endpoint.port()), err.toString());
        assertTrue(err.toString().contains(endpoint.fingerprint()), err.toString());
        // The code was never sent, so it still works with the right pin.
        assertEquals(0, actions().enroll(uri(e), Optional.of(tmp.resolve("p.json")), false), err.toString());
    }

    @Test
    void clientsAreManagedByStableIdAndOnlyRevokedOnesCanBeDeleted() {
        String id = ClientFixtures.client("name-a");
        Api.user("erin", "user");
        operator().body(Map.of("name", "name-b")).when().patch("/v1/clients/" + id + "/name")
                .then().statusCode(200).body("client_name", equalTo("name-b")).body("client_id", equalTo(id));
        String twin = ClientFixtures.client("name-b"); // duplicate labels are allowed
        operator().body(Map.of("address", "198.51.100.4")).when().put("/v1/clients/" + id)
                .then().statusCode(200).body("address", equalTo("198.51.100.4"));
        operator().body("{\"address\":null}").when().put("/v1/clients/" + id).then().statusCode(200).body("address", nullValue());
        operator().body(Map.of("client", id, "owner", "erin", "listen_port", 443, "target_host", "a.example", "target_port", 443))
                .when().post("/v1/rules").then().statusCode(201);
        operator().when().delete("/v1/clients/" + id).then().statusCode(409).body("error.code", equalTo("conflict"));
        operator().when().post("/v1/clients/" + id + "/revoke").then().statusCode(200);
        operator().body(Map.of("client", id, "owner", "erin", "listen_port", 444, "target_host", "a.example", "target_port", 443))
                .when().post("/v1/rules").then().statusCode(422).body("error.code", equalTo("client_revoked"));
        operator().when().delete("/v1/clients/" + id).then().statusCode(200).body("client_id", equalTo(id))
                .body("removed_rule_ids.size()", equalTo(1));
        operator().when().get("/v1/clients/" + id).then().statusCode(404);
        operator().when().get("/v1/clients/" + twin).then().statusCode(200).body("client_name", equalTo("name-b"));
        operator().body(Map.of("name", "x")).when().patch("/v1/clients/NOPE/name").then().statusCode(404);
    }

    @Test
    void theClientListenerServesOnlyTheClientRoutes() throws Exception {
        PinnedHttps https = new PinnedHttps("127.0.0.1:" + endpoint.port(), endpoint.fingerprint());
        assertEquals(404, https.get("/v1/clients", TempStoreResource.OPERATOR_TOKEN).status());
        assertEquals(404, https.get("/q/health/ready", null).status());
        PinnedHttps.Reply unknown = https.get("/v1/rules", null);
        assertTrue(unknown.body().contains("\"not_found\""), unknown.body());
        assertEquals(405, https.get("/v1/enroll", null).status());
        assertEquals(401, https.get("/v1/client/whoami", "not-a-token").status());
        PinnedHttps.Reply bad = https.postJson("/v1/enroll", "{\"code\":\"x\",\"more\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, bad.status());
        assertTrue(bad.body().contains("unknown_field"), bad.body());
        assertEquals(400, https.postJson("/v1/enroll", "{".getBytes(StandardCharsets.UTF_8)).status());
        // Redeems and denials are audited like operator API requests (the writer batches: poll briefly).
        long deadline = System.currentTimeMillis() + 5000;
        long entries = 0;
        while (entries < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            entries = store.read(h -> h.count("SELECT count(*) FROM audit WHERE path IN ('/v1/enroll', '/v1/client/whoami') "
                    + "AND actor = 'anonymous' AND outcome = 'deny'"));
        }
        assertTrue(entries >= 3, "audit entries: " + entries);
    }
}
