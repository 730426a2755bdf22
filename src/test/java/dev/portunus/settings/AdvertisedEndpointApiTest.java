package dev.portunus.settings;

import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.login;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static dev.portunus.testing.Api.session;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.clients.ClientEndpoint;
import dev.portunus.clienttool.PinnedHttps;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET/PUT /v1/settings/advertised-endpoint} and its effect on enrollment (06-traffic.md §3, §6). */
@QuarkusTest
@QuarkusTestResource(value = dev.portunus.testing.TempStoreResource.class, restrictToAnnotatedClass = true)
class AdvertisedEndpointApiTest {

    static final String PATH = "/v1/settings/advertised-endpoint";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ClientEndpoint endpoint;

    @Inject
    Store store;

    @BeforeEach
    void users() {
        Api.superadminExists();
        Api.user("tess", "user");
    }

    @AfterEach
    void clearOverride() {
        put("{\"advertised_endpoint\":null}").then().statusCode(200);
    }

    static io.restassured.response.Response put(String body) {
        return operator().body(body).put(PATH);
    }

    String derived() {
        return "127.0.0.1:" + endpoint.port(); // the test listener binds 127.0.0.1: the specific listen host wins
    }

    @Test
    void beforeAnyPutTheDerivedEndpointIsEffectiveWithExactlyTheSixFields() throws Exception {
        String body = operator().get(PATH).then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        JsonNode n = JSON.readTree(body);
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("override", "effective", "source", "diagnostic", "san_covered", "warning"), names);
        assertEquals(true, n.get("override").isNull());
        assertEquals(derived(), n.get("effective").asText());
        assertEquals("derived", n.get("source").asText());
        assertEquals(true, n.get("diagnostic").isNull());
        assertEquals(true, n.get("san_covered").asBoolean(), "127.0.0.1 is an IP SAN of the generated certificate");
        assertEquals(true, n.get("warning").isNull());
    }

    @Test
    void aValidPutBecomesTheOverrideAndNullOrEmptyClearsIt() {
        String value = "localhost:" + endpoint.port();
        put("{\"advertised_endpoint\":\"" + value + "\"}").then().statusCode(200).body("override", equalTo(value))
                .body("effective", equalTo(value)).body("source", equalTo("override")).body("diagnostic", nullValue())
                .body("san_covered", equalTo(true)).body("warning", nullValue());
        operator().get(PATH).then().statusCode(200).body("override", equalTo(value)).body("source", equalTo("override"));
        assertEquals(1L, (long) store.read(h -> h.count("SELECT count(*) FROM server_settings "
                + "WHERE json_extract(settings_json, '$.advertised_endpoint') = ?", value)));

        put("{\"advertised_endpoint\":null}").then().statusCode(200).body("override", nullValue()).body("source", equalTo("derived"))
                .body("effective", equalTo(derived()));
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM server_settings "
                + "WHERE json_type(settings_json, '$.advertised_endpoint') IS NOT NULL")));
        put("{\"advertised_endpoint\":\"" + value + "\"}").then().statusCode(200);
        put("{\"advertised_endpoint\":\"\"}").then().statusCode(200).body("override", nullValue()).body("source", equalTo("derived"));
        put("{\"advertised_endpoint\":null}").then().statusCode(200).body("source", equalTo("derived")); // clearing twice is fine
    }

    @Test
    void malformedValuesAndBodiesAreRefusedAndChangeNothing() {
        for (String bad : List.of("https://x:1", "x", "x:0", "x:070", "x:+1", "x:1/", "u@x:1", "a b:1", "1.2.3:1", "::1:7443",
                "x".repeat(264))) {
            put("{\"advertised_endpoint\":" + JSON.valueToTree(bad) + "}").then().statusCode(422)
                    .body("error.code", equalTo("endpoint_invalid")).body("error.message", notNullValue());
        }
        put("{}").then().statusCode(422).body("error.code", equalTo("endpoint_invalid"))
                .body("error.message", containsString("advertised_endpoint"));
        put("{\"advertised_endpoint\":7443}").then().statusCode(422).body("error.code", equalTo("invalid_type"));
        put("{\"advertised_endpoint\":[\"x:1\"]}").then().statusCode(422).body("error.code", equalTo("invalid_type"));
        put("{\"advertised_endpoint\":\"x:1\",\"port\":1}").then().statusCode(422).body("error.code", equalTo("unknown_field"));
        put("{\"advertised_endpoint\":\"x:1\",\"advertised_endpoint\":\"y:1\"}").then().statusCode(422)
                .body("error.code", equalTo("duplicate_field"));
        put("{\"advertised_endpoint\":").then().statusCode(400).body("error.code", equalTo("malformed_json"));
        operator().get(PATH).then().statusCode(200).body("override", nullValue()).body("source", equalTo("derived"));
    }

    @Test
    void sanCoverageIsReportedAndAnUncoveredHostIsAcceptedWithAWarning() {
        put("{\"advertised_endpoint\":\"edge.example.net:7443\"}").then().statusCode(200)
                .body("effective", equalTo("edge.example.net:7443")).body("san_covered", equalTo(false))
                .body("warning", containsString("edge.example.net")).body("warning", containsString("pins the certificate"));
        put("{\"advertised_endpoint\":\"[::1]:7443\"}").then().statusCode(200).body("effective", equalTo("[::1]:7443"))
                .body("san_covered", equalTo(false));
        put("{\"advertised_endpoint\":\"127.0.0.1:9\"}").then().statusCode(200).body("san_covered", equalTo(true))
                .body("warning", nullValue());
        put("{\"advertised_endpoint\":\"LOCALHOST:9\"}").then().statusCode(200).body("san_covered", equalTo(true));
    }

    @Test
    void onlyASuperadminMayReadOrSetItAndCookieWritesNeedCsrf() {
        String tenant = mint("tess");
        bearer(tenant).get(PATH).then().statusCode(403).body("error.code", equalTo("forbidden"));
        bearer(tenant).body("{\"advertised_endpoint\":\"x:1\"}").put(PATH).then().statusCode(403).body("error.code", equalTo("forbidden"));
        given().contentType(ContentType.JSON).body("{\"advertised_endpoint\":\"x:1\"}").put(PATH).then().statusCode(401);

        String cookie = login("root");
        given().contentType(ContentType.JSON).cookie("portunus_session", cookie).body("{\"advertised_endpoint\":\"x:1\"}")
                .put(PATH).then().statusCode(403).body("error.code", equalTo("csrf_missing_header"));
        operator().get(PATH).then().body("override", nullValue());
        session(cookie).body("{\"advertised_endpoint\":\"csrf.example.net:1\"}").put(PATH).then().statusCode(200)
                .body("override", equalTo("csrf.example.net:1"));
        session(cookie).get(PATH).then().statusCode(200).body("source", equalTo("override"));
        Eventually.within(5000, "the PUTs are audited", () -> store.read(h -> h.count("SELECT count(*) FROM audit "
                + "WHERE path = ? AND method = 'PUT' AND actor = 'root' AND outcome = 'allow'", PATH)) >= 1
                && store.read(h -> h.count("SELECT count(*) FROM audit WHERE path = ? AND outcome = 'deny' AND reason = 'forbidden'",
                        PATH)) >= 2);
    }

    /** 06 §6: an enrollment created before a PUT redeems into a bundle with the old endpoint. */
    @Test
    void anEnrollmentKeepsTheEndpointItWasCreatedWith() throws Exception {
        Map<String, Object> before = ClientFixtures.enrollment("frozen-before");
        assertEquals(derived(), server((String) before.get("uri")));
        assertEquals(before.get("uri"), command(before));
        String override = "localhost:" + endpoint.port();
        put("{\"advertised_endpoint\":\"" + override + "\"}").then().statusCode(200);
        Map<String, Object> after = ClientFixtures.enrollment("frozen-after");
        assertEquals(override, server((String) after.get("uri")));

        assertEquals(derived(), redeem(before).get("server").asText(), "the bundle names the endpoint of the URI it came from");
        assertEquals(override, redeem(after).get("server").asText());
        assertEquals(derived(), store.read(h -> h.one("SELECT advertised_endpoint FROM client_enrollments WHERE client_id = ?",
                rs -> rs.getString(1), before.get("client_id"))).orElseThrow());

        // A code made before V2 has no frozen endpoint: it gets the one effective now.
        Map<String, Object> legacy = ClientFixtures.enrollment("pre-v2");
        store.write(h -> h.update("UPDATE client_enrollments SET advertised_endpoint = NULL WHERE client_id = ?", legacy.get("client_id")));
        put("{\"advertised_endpoint\":\"127.0.0.1:" + endpoint.port() + "\"}").then().statusCode(200);
        assertEquals("127.0.0.1:" + endpoint.port(), redeem(legacy).get("server").asText());
    }

    /** A hand-edited override that breaks the grammar: nothing resolves, and enrollment refuses without creating anything. */
    @Test
    void aMalformedStoredOverrideIsADiagnosticAndBlocksEnrollment() {
        store.write(h -> h.update("INSERT INTO server_settings (id, settings_json, updated_at) VALUES (1, json_object('advertised_endpoint', ?1), ?2) "
                + "ON CONFLICT (id) DO UPDATE SET settings_json = json_set(settings_json, '$.advertised_endpoint', ?1)",
                "https://hand.edited:1", "2026-01-01T00:00:00.000Z"));
        operator().get(PATH).then().statusCode(200).body("override", equalTo("https://hand.edited:1")).body("effective", nullValue())
                .body("source", nullValue()).body("diagnostic", containsString("hand.edited")).body("san_covered", nullValue())
                .body("warning", nullValue());
        long clients = store.read(h -> h.count("SELECT count(*) FROM client_tokens"));
        operator().body(Map.of("name", "blocked")).post("/v1/client-enrollments").then().statusCode(422)
                .body("error.code", equalTo("endpoint_invalid"));
        assertEquals(clients, (long) store.read(h -> h.count("SELECT count(*) FROM client_tokens")), "nothing was created");
    }

    private JsonNode redeem(Map<String, Object> enrollment) throws Exception {
        PinnedHttps https = new PinnedHttps("127.0.0.1:" + endpoint.port(), endpoint.fingerprint());
        Map<String, String> body = new HashMap<>();
        body.put("code", code((String) enrollment.get("uri")));
        PinnedHttps.Reply r = https.postJson("/v1/enroll", JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        JsonNode bundle = JSON.readTree(r.body());
        assertEquals(1L, (long) store.read(h -> h.count("SELECT count(*) FROM client_tokens WHERE token_hash = ?",
                Secrets.blake3Hex(bundle.get("token").asText()))));
        return bundle;
    }

    static String command(Map<String, Object> enrollment) {
        String c = (String) enrollment.get("command");
        return c.substring(c.indexOf('\'') + 1, c.lastIndexOf('\''));
    }

    static String server(String uri) {
        return param(uri, "server");
    }

    static String code(String uri) {
        return param(uri, "code");
    }

    static String param(String uri, String name) {
        for (String p : uri.substring(uri.indexOf('?') + 1).split("&")) {
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + uri);
    }
}
