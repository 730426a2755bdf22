package dev.portunus.rules;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class RuleApiTest {

    private static final AtomicInteger PORTS = new AtomicInteger(20000);

    @Inject
    Store store;

    String client;

    @BeforeEach
    void setUp() {
        Api.superadminExists();
        Api.user("alice", "user");
        client = ClientFixtures.client("edge-" + PORTS.get());
    }

    static RequestSpecification operator() {
        return given().auth().oauth2(TempStoreResource.OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    /** A valid single-target TCP rule on a fresh port, owned by alice; tests override fields. */
    Map<String, Object> rule(Object... overrides) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client", client);
        body.put("owner", "alice");
        body.put("listen_port", PORTS.incrementAndGet());
        body.put("target_host", "10.0.0.5");
        body.put("target_port", 8080);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                body.remove((String) overrides[i]);
            } else {
                body.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return body;
    }

    static Stream<Arguments> invalidRules() {
        Map<String, Object> target = Map.of("host", "10.0.0.9", "port", 80, "priority", 1);
        return Stream.of(
                Arguments.of("client_required", new Object[] {"client", ""}),
                Arguments.of("unknown_client", new Object[] {"client", "01J0000000000000000000000X"}),
                Arguments.of("invalid_listen_port", new Object[] {"listen_port", 0}),
                Arguments.of("invalid_listen_port", new Object[] {"listen_port", 70000}),
                Arguments.of("invalid_listen_port_end", new Object[] {"listen_port", 5000, "listen_port_end", 4999}),
                Arguments.of("invalid_protocol", new Object[] {"protocol", "sctp"}),
                Arguments.of("target_required", new Object[] {"target_host", null, "target_port", null}),
                Arguments.of("target_ambiguous", new Object[] {"targets", List.of(target)}),
                Arguments.of("invalid_target_host", new Object[] {"target_host", "bad host!"}),
                Arguments.of("invalid_target_host", new Object[] {"target_host", "300.1.1.1"}),
                Arguments.of("invalid_target_port", new Object[] {"target_port", 0}),
                Arguments.of("invalid_target_port_end", new Object[] {"target_port", 9000, "target_port_end", 8999}),
                Arguments.of("port_range_mismatch", new Object[] {"listen_port", 6000, "listen_port_end", 6009,
                    "target_port", 7000, "target_port_end", 7004}),
                Arguments.of("port_range_mismatch", new Object[] {"listen_port", 6100, "listen_port_end", 6101,
                    "target_host", null, "target_port", null, "targets", List.of(target)}),
                Arguments.of("invalid_targets_count", new Object[] {"target_host", null, "target_port", null, "targets", List.of()}),
                Arguments.of("invalid_targets_count", new Object[] {"target_host", null, "target_port", null,
                    "targets", java.util.Collections.nCopies(9, target)}),
                Arguments.of("invalid_target_priority", new Object[] {"target_host", null, "target_port", null,
                    "targets", List.of(Map.of("host", "a.example", "port", 80, "priority", 100))}),
                Arguments.of("invalid_target_port", new Object[] {"target_host", null, "target_port", null,
                    "targets", List.of(Map.of("host", "a.example", "port", 65536, "priority", 0))}),
                Arguments.of("invalid_proxy_protocol", new Object[] {"target_host", null, "target_port", null,
                    "targets", List.of(Map.of("host", "a.example", "port", 80, "priority", 0, "proxy_protocol", "v3"))}),
                Arguments.of("invalid_sni_pattern", new Object[] {"sni_pattern", "*.*.example.com"}),
                Arguments.of("invalid_sni_pattern", new Object[] {"sni_pattern", "exa mple.com"}),
                Arguments.of("sni_not_allowed", new Object[] {"protocol", "udp", "sni_pattern", "a.example.com"}),
                Arguments.of("sni_not_allowed", new Object[] {"listen_port", 6200, "listen_port_end", 6201,
                    "target_port", 7000, "target_port_end", 7001, "sni_pattern", "a.example.com"}),
                Arguments.of("invalid_health_check_interval", new Object[] {"health_check_interval_secs", 0}),
                Arguments.of("invalid_rate_limit", new Object[] {"rate_limit", Map.of("bandwidth_in_bps", 0)}),
                Arguments.of("invalid_rate_limit", new Object[] {"rate_limit", Map.of("concurrent_connections", -1)}),
                Arguments.of("burst_without_rate", new Object[] {"rate_limit", Map.of("bandwidth_out_burst", 100)}),
                Arguments.of("burst_out_of_range", new Object[] {"rate_limit", Map.of("new_connections_per_sec", 10,
                    "new_connections_burst", 9)}),
                Arguments.of("burst_out_of_range", new Object[] {"rate_limit", Map.of("bandwidth_in_bps", 1000,
                    "bandwidth_in_burst", 4001)}),
                Arguments.of("owner_required", new Object[] {"owner", null}),
                Arguments.of("unknown_owner", new Object[] {"owner", "nobody"}),
                Arguments.of("unknown_field", new Object[] {"colour", "red"}),
                Arguments.of("invalid_type", new Object[] {"listen_port", "80"}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidRules")
    void everyValidationFailureHasItsCode(String code, Object[] overrides) {
        operator().body(rule(overrides)).when().post("/v1/rules")
                .then().statusCode(422).body("error.code", equalTo(code));
    }

    @Test
    void validRulesAreStoredWithTheirTargetsAndBoundsAreInclusive() {
        String id = operator().body(rule("target_host", null, "target_port", null, "protocol", "udp", "prefer_ipv6", true,
                "health_check_interval_secs", 30,
                "targets", List.of(Map.of("host", "a.example", "port", 81, "priority", 0, "proxy_protocol", "v2"),
                        Map.of("host", "2001:db8::1", "port", 82, "priority", 99)),
                "rate_limit", Map.of("bandwidth_in_bps", 1000, "bandwidth_in_burst", 4000, "new_connections_per_sec", 5,
                        "new_connections_burst", 5)))
                .when().post("/v1/rules")
                .then().statusCode(201)
                .body("owner", equalTo("alice")).body("state", equalTo("Pending")).body("protocol", equalTo("udp"))
                .body("targets.host", contains("a.example", "2001:db8::1"))
                .body("targets[0].proxy_protocol", equalTo("v2"))
                .body("rate_limit.bandwidth_in_burst", equalTo(4000))
                .extract().path("rule_id");
        operator().when().get("/v1/rules/" + id).then().statusCode(200).body("targets", hasSize(2)).body("prefer_ipv6", equalTo(true));

        operator().body(rule("listen_port", 31000, "listen_port_end", 31009, "target_port", 41000, "target_port_end", 41009))
                .when().post("/v1/rules").then().statusCode(201).body("listen_port_end", equalTo(31009));
        operator().body(rule("sni_pattern", "*.Example.com")).when().post("/v1/rules")
                .then().statusCode(201).body("sni_pattern", equalTo("*.example.com"));
    }

    @Test
    void listenPortClaimsConflictUnlessBothDifferBySni() {
        operator().body(rule("listen_port", 32000, "listen_port_end", 32010, "target_port", 1000, "target_port_end", 1010))
                .when().post("/v1/rules").then().statusCode(201);
        operator().body(rule("listen_port", 32010)).when().post("/v1/rules")
                .then().statusCode(409).body("error.code", equalTo("conflict"));
        // Another protocol on the same port is a different claim.
        operator().body(rule("listen_port", 32005, "protocol", "udp")).when().post("/v1/rules").then().statusCode(201);

        operator().body(rule("listen_port", 32443, "sni_pattern", "a.example.com")).when().post("/v1/rules").then().statusCode(201);
        operator().body(rule("listen_port", 32443, "sni_pattern", "b.example.com")).when().post("/v1/rules").then().statusCode(201);
        operator().body(rule("listen_port", 32443, "sni_pattern", "a.example.com")).when().post("/v1/rules").then().statusCode(409);
        operator().body(rule("listen_port", 32443)).when().post("/v1/rules").then().statusCode(409);
    }

    @Test
    void putChangesOnlyTheRateLimit() {
        Map<String, Object> created = operator().body(rule()).when().post("/v1/rules").then().statusCode(201)
                .extract().jsonPath().getMap("$");
        String id = (String) created.get("rule_id");
        operator().body(Map.of("rate_limit", Map.of("concurrent_connections", 50))).when().put("/v1/rules/" + id)
                .then().statusCode(200).body("rate_limit.concurrent_connections", equalTo(50))
                .body("listen_port", equalTo(created.get("listen_port"))).body("target_host", equalTo("10.0.0.5"));
        operator().body(Map.of("listen_port", 1)).when().put("/v1/rules/" + id)
                .then().statusCode(422).body("error.code", equalTo("unknown_field"));
        operator().body(Map.of("rate_limit", Map.of("bandwidth_out_burst", 5))).when().put("/v1/rules/" + id)
                .then().statusCode(422).body("error.code", equalTo("burst_without_rate"));
        operator().body(Map.of()).when().put("/v1/rules/" + id).then().statusCode(200).body("rate_limit", nullValue());
        operator().when().delete("/v1/rules/" + id).then().statusCode(204);
        operator().when().get("/v1/rules/" + id).then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void listFiltersByClientAndOwner() {
        String other = ClientFixtures.client("other");
        operator().body(rule()).when().post("/v1/rules").then().statusCode(201);
        operator().body(rule("client", other, "owner", "root")).when().post("/v1/rules").then().statusCode(201);
        operator().when().get("/v1/rules?client=" + other).then().statusCode(200)
                .body("client", contains(other)).body("owner", contains("root"));
        operator().when().get("/v1/rules?owner=root&client=" + client).then().statusCode(200).body("$", hasSize(0));
        List<String> owners = operator().when().get("/v1/rules?owner=alice").then().statusCode(200).extract().path("owner");
        assertEquals(true, !owners.isEmpty() && owners.stream().allMatch("alice"::equals));
    }

    @Test
    void aUsersRuleMustFitInsideOneOfItsGrants() {
        String grantClient = ClientFixtures.client("granted");
        Api.user("bob", "user");
        String bob = Api.mint("bob");
        ClientFixtures.grant("bob", grantClient, 10000, 10099, "tcp");

        refused(bob, userRule(client, 10000, 10000, "tcp"), "client_not_granted");
        ClientFixtures.grant("bob", "*", 11000, 11000, "udp");
        refused(bob, userRule(grantClient, 10090, 10100, "tcp"), "port_outside_grant");
        refused(bob, userRule(grantClient, 10000, 10000, "udp"), "protocol_not_granted");
        // Two grants together cover the range, but a rule must fit inside ONE of them.
        ClientFixtures.grant("bob", grantClient, 10100, 10199, "tcp", "udp");
        refused(bob, userRule(grantClient, 10090, 10110, "tcp"), "port_outside_grant");

        Api.bearer(bob).body(userRule(grantClient, 10000, 10099, "tcp")).when().post("/v1/rules")
                .then().statusCode(201).body("owner", equalTo("bob"));
        Api.bearer(bob).body(userRule(client, 11000, 11000, "udp")).when().post("/v1/rules")
                .then().statusCode(201).body("owner", equalTo("bob"));
        Map<String, Object> forAlice = userRule(grantClient, 10050, 10050, "udp");
        forAlice.put("owner", "alice");
        refused(bob, forAlice, "forbidden");

        // A user sees only its own rules; another's rule is simply not found.
        Api.bearer(bob).when().get("/v1/rules").then().statusCode(200).body("owner", everyItem(equalTo("bob")))
                .body("$", hasSize(2));
        Api.bearer(bob).when().get("/v1/rules?owner=alice").then().statusCode(403);
        String alices = operator().body(rule()).when().post("/v1/rules").then().statusCode(201).extract().path("rule_id");
        Api.bearer(bob).when().get("/v1/rules/" + alices).then().statusCode(404);
        Api.bearer(bob).when().delete("/v1/rules/" + alices).then().statusCode(404);
        // Superadmins are not bound by grants.
        Api.bearer(Api.mint("root")).body(userRule(client, 10000, 10000, "tcp")).when().post("/v1/rules")
                .then().statusCode(201).body("owner", equalTo("root"));
    }

    @Test
    void deletingAGrantRemovesTheRulesOnlyItCovered() {
        String c = ClientFixtures.client("grant-delete");
        Api.user("carol", "user");
        String carol = Api.mint("carol");
        String wide = ClientFixtures.grant("carol", c, 12000, 12999, "tcp", "udp");
        ClientFixtures.grant("carol", c, 12500, 12500, "tcp");
        String onlyWide = Api.bearer(carol).body(userRule(c, 12000, 12000, "udp")).when().post("/v1/rules")
                .then().statusCode(201).extract().path("rule_id");
        String both = Api.bearer(carol).body(userRule(c, 12500, 12500, "tcp")).when().post("/v1/rules")
                .then().statusCode(201).extract().path("rule_id");

        operator().when().delete("/v1/grants/" + wide).then().statusCode(200).body("removed_rule_ids", contains(onlyWide));
        operator().when().get("/v1/rules/" + onlyWide).then().statusCode(404);
        operator().when().get("/v1/rules/" + both).then().statusCode(200);
    }

    @Test
    void deletingAUserRemovesItsRulesAndTargetsInOneTransaction() {
        Api.user("dave", "user");
        String id = operator().body(rule("owner", "dave", "target_host", null, "target_port", null,
                "targets", List.of(Map.of("host", "a.example", "port", 81, "priority", 0))))
                .when().post("/v1/rules").then().statusCode(201).extract().path("rule_id");
        operator().when().delete("/v1/users/dave").then().statusCode(200).body("removed_rule_ids", contains(id));
        operator().when().get("/v1/rules/" + id).then().statusCode(404);
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM rules WHERE owner_id = 'dave'")));
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM rule_targets WHERE rule_id = ?", id)));
    }

    @Test
    void theOperatorPortNeverServesTheClientRoutes() {
        operator().body(Map.of("code", "x")).when().post("/v1/enroll").then().statusCode(404).body("error.code", equalTo("not_found"));
        operator().when().get("/v1/client/whoami").then().statusCode(404).body("error.code", equalTo("not_found"));
        given().when().get("/v1/client/whoami").then().statusCode(401).body("error.code", notNullValue());
    }

    private static void refused(String token, Map<String, Object> body, String code) {
        Api.bearer(token).body(body).when().post("/v1/rules").then().statusCode(403).body("error.code", equalTo(code));
    }

    private static Map<String, Object> userRule(String clientId, int start, int end, String protocol) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client", clientId);
        body.put("listen_port", start);
        body.put("listen_port_end", end);
        body.put("protocol", protocol);
        body.put("target_host", "h.example");
        body.put("target_port", 1000);
        body.put("target_port_end", 1000 + end - start);
        return body;
    }
}
