package dev.portunus.clients;

import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.clienttool.PinnedHttps;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client routes as the upstream web UI calls them (06-traffic.md §5.1, §5.5, §5.8–5.10). */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class ClientWebUiApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ClientEndpoint endpoint;

    @BeforeEach
    void users() {
        Api.superadminExists();
        Api.user("tina", "user");
        Api.user("walt", "user");
        Api.user("nora", "user");
    }

    PinnedHttps https() {
        return new PinnedHttps("127.0.0.1:" + endpoint.port(), endpoint.fingerprint());
    }

    /** Redeems the code of an enrollment answer on the client listener; returns the bundle. */
    JsonNode redeem(Map<String, Object> enrollment) throws Exception {
        String uri = (String) enrollment.get("uri");
        String code = uri.replaceAll(".*[?&]code=([^&]+).*", "$1");
        PinnedHttps.Reply r = https().postJson("/v1/enroll", JSON.writeValueAsBytes(Map.of("code", code)));
        assertEquals(200, r.status(), r.body());
        return JSON.readTree(r.body());
    }

    int whoami(String token) {
        return https().get("/v1/client/whoami", token).status();
    }

    @Test
    void reEnrollmentIssuesANewCodeWhoseRedeemRotatesTheToken() throws Exception {
        Map<String, Object> first = ClientFixtures.enrollment("edge-re");
        String id = (String) first.get("client_id");
        String oldToken = redeem(first).get("token").asText();
        assertEquals(200, whoami(oldToken));

        Map<String, Object> again = operator().body("{\"ttl_secs\":300}").post("/v1/clients/" + id + "/enrollment").then()
                .statusCode(201).body("client_id", equalTo(id)).body("client_name", equalTo("edge-re"))
                .body("expires_at", notNullValue()).extract().jsonPath().getMap("$");
        String uri = (String) again.get("uri");
        assertTrue(uri.startsWith("portunus://enroll?server=127.0.0.1:" + endpoint.port() + "&code="), uri);
        assertEquals("portunus-client enroll '" + uri + "'", again.get("command"));
        assertEquals(200, whoami(oldToken), "the old token works until the new code is redeemed");

        JsonNode bundle = redeem(again);
        assertEquals(id, bundle.get("client_id").asText());
        String newToken = bundle.get("token").asText();
        assertNotEquals(oldToken, newToken);
        assertEquals(401, whoami(oldToken), "the old token stops working");
        assertEquals(200, whoami(newToken));
        PinnedHttps.Reply used = https().postJson("/v1/enroll", JSON.writeValueAsBytes(Map.of("code",
                uri.replaceAll(".*[?&]code=([^&]+).*", "$1"))));
        assertEquals(409, used.status(), used.body());
    }

    @Test
    void aNewerCodeVoidsTheOlderOneAndEdgeCasesAreRefused() throws Exception {
        String id = ClientFixtures.client("edge-codes");
        // No body at all is the same as {}.
        Map<String, Object> older = operator().contentType(ContentType.JSON).post("/v1/clients/" + id + "/enrollment").then()
                .statusCode(201).extract().jsonPath().getMap("$");
        Map<String, Object> newer = operator().body("{}").post("/v1/clients/" + id + "/enrollment").then().statusCode(201)
                .extract().jsonPath().getMap("$");
        String olderCode = ((String) older.get("uri")).replaceAll(".*[?&]code=([^&]+).*", "$1");
        assertEquals(409, https().postJson("/v1/enroll", JSON.writeValueAsBytes(Map.of("code", olderCode))).status());
        redeem(newer);

        operator().body("{\"ttl_secs\":0}").post("/v1/clients/" + id + "/enrollment").then().statusCode(422)
                .body("error.code", equalTo("invalid_ttl_secs"));
        operator().body("{\"name\":\"x\"}").post("/v1/clients/" + id + "/enrollment").then().statusCode(422)
                .body("error.code", equalTo("unknown_field"));
        operator().body("{}").post("/v1/clients/NOPE/enrollment").then().statusCode(404).body("error.code", equalTo("not_found"));
        bearer(mint("tina")).body("{}").post("/v1/clients/" + id + "/enrollment").then().statusCode(403)
                .body("error.code", equalTo("forbidden"));
        operator().post("/v1/clients/" + id + "/revoke").then().statusCode(200);
        operator().body("{}").post("/v1/clients/" + id + "/enrollment").then().statusCode(409)
                .body("error.code", equalTo("client_revoked"));
    }

    @Test
    void aTenantListsExactlyTheClientsItsGrantsName() {
        String mine = ClientFixtures.client("tenant-mine");
        String other = ClientFixtures.client("tenant-other");
        ClientFixtures.grant("tina", mine, 10000, 10010, "tcp");
        ClientFixtures.grant("tina", mine, 20000, 20010, "udp"); // two grants, one client: listed once
        ClientFixtures.grant("walt", "*", 1, 65535, "tcp", "udp");

        List<String> all = operator().get("/v1/clients").then().statusCode(200).extract().jsonPath().getList("client_id");
        assertTrue(all.contains(mine) && all.contains(other), all.toString());
        bearer(mint("tina")).get("/v1/clients").then().statusCode(200).body("client_id", containsInAnyOrder(mine));
        assertEquals(all, bearer(mint("walt")).get("/v1/clients").then().statusCode(200).extract().jsonPath().getList("client_id"),
                "a '*' grant names every client");
        bearer(mint("nora")).get("/v1/clients").then().statusCode(200).body("size()", equalTo(0));
        bearer(mint("tina")).get("/v1/clients/" + mine).then().statusCode(403); // the rest stays superadmin-only
    }

    @Test
    void renameAcceptsClientNameBesideName() {
        String id = ClientFixtures.client("rename-me");
        operator().body(Map.of("client_name", "renamed-by-ui")).patch("/v1/clients/" + id + "/name").then().statusCode(200)
                .body("client_name", equalTo("renamed-by-ui"));
        operator().body(Map.of("name", "same", "client_name", "same")).patch("/v1/clients/" + id + "/name").then().statusCode(200)
                .body("client_name", equalTo("same"));
        operator().body(Map.of("name", "a", "client_name", "b")).patch("/v1/clients/" + id + "/name").then().statusCode(422)
                .body("error.code", equalTo("conflicting_fields"));
        operator().body("{}").patch("/v1/clients/" + id + "/name").then().statusCode(422).body("error.code", equalTo("invalid_name"));
        operator().body(Map.of("client_name", 5)).patch("/v1/clients/" + id + "/name").then().statusCode(422);
        operator().get("/v1/clients/" + id).then().body("client_name", equalTo("same"));
    }

    @Test
    void theClientViewCarriesTheWebUiFieldsAndTheEnrollmentItsUri() {
        Map<String, Object> e = operator().body(Map.of("name", "view-fields", "address", "198.51.100.9")).post("/v1/client-enrollments")
                .then().statusCode(201).extract().jsonPath().getMap("$");
        String uri = (String) e.get("uri");
        assertEquals("portunus-client enroll '" + uri + "'", e.get("command"));
        assertTrue(uri.contains("&code=" + e.get("code") + "&fp=" + endpoint.fingerprint()), uri);
        Map<String, Object> view = operator().get("/v1/clients/" + e.get("client_id")).then().statusCode(200)
                .body("$", hasKey("remote_addr")).body("$", hasKey("connected_at"))
                .body("remote_addr", nullValue()).body("connected_at", nullValue())
                .body("client_address", equalTo("198.51.100.9")).body("address", equalTo("198.51.100.9"))
                .extract().jsonPath().getMap("$");
        assertEquals(view.get("issued_at"), view.get("provisioned_at"));
        assertEquals(List.of("client_id", "client_name", "address", "connected", "issued_at", "revoked_at", "last_seen_at",
                "provisioned_at", "client_address", "remote_addr", "connected_at"), List.copyOf(view.keySet()));
    }

    @Test
    void theRuleViewNamesItsClientAndOwnerAndShowsTargetHealthAsNull() throws Exception {
        String client = ClientFixtures.client("rule-view-client");
        String id = operator().body(Map.of("client", client, "owner", "tina", "listen_port", 7000,
                "targets", List.of(Map.of("host", "a.example", "port", 80, "priority", 0), Map.of("host", "b.example", "port", 80,
                        "priority", 1)))).post("/v1/rules").then().statusCode(201)
                .body("client_name", equalTo("rule-view-client")).body("owner_user_id", equalTo("tina"))
                .extract().path("rule_id");
        String body = operator().get("/v1/rules/" + id).then().statusCode(200).body("owner", equalTo("tina"))
                .body("client", equalTo(client)).extract().asString();
        JsonNode targets = JSON.readTree(body.getBytes(StandardCharsets.UTF_8)).get("targets");
        assertEquals(2, targets.size());
        for (JsonNode t : targets) {
            assertTrue(t.has("health") && t.get("health").isNull(), t.toString());
        }
        operator().body(Map.of("client_name", "renamed-client")).patch("/v1/clients/" + client + "/name").then().statusCode(200);
        operator().get("/v1/rules").then().statusCode(200).body("find { it.rule_id == '" + id + "' }.client_name", equalTo("renamed-client"));
    }
}
