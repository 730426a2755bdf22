package dev.portunus.grants;

import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.Rows;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class GrantsApiTest {

    @Inject
    Store store;

    @BeforeEach
    void users() {
        Api.superadminExists();
        Api.user("kim", "user");
        Api.user("lee", "user");
    }

    private static String grant(String user, String client, int start, int end, List<String> protocols) {
        return operator().body(Map.of("user_id", user, "client", client, "listen_port_start", start, "listen_port_end", end,
                "protocols", protocols)).post("/v1/grants").then().statusCode(201).extract().path("grant_id");
    }

    @Test
    void createAndListShowTheGrantView() {
        String id = grant("lee", "cl_a", 2000, 2010, List.of("udp", "tcp"));
        String json = operator().get("/v1/grants?user_id=lee").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(json.matches("\\[\\{\"grant_id\":\"" + id + "\",\"user_id\":\"lee\","
                + "\"client\":\"cl_a\",\"listen_port_start\":2000,\"listen_port_end\":2010,\"protocols\":\\[\"tcp\",\"udp\"\\],"
                + "\"note\":null,\"created_at\":\"[^\"]{24}\"\\}\\]"), json);
        operator().get("/v1/grants").then().statusCode(200).body("grant_id", org.hamcrest.Matchers.hasItem(id));
    }

    @Test
    void createValidatesWithFieldCodes() {
        Map<String, Object> ok = Map.of("user_id", "lee", "client", "*", "listen_port_start", 10, "listen_port_end", 20,
                "protocols", List.of("tcp"));
        assertCode(with(ok, "listen_port_end", 5), "invalid_port_range");
        assertCode(with(ok, "listen_port_end", 70000), "invalid_port_range");
        assertCode(with(ok, "protocols", List.of()), "invalid_protocols");
        assertCode(with(ok, "protocols", List.of("tcp", "tcp")), "invalid_protocols");
        assertCode(with(ok, "protocols", List.of("sctp")), "invalid_protocols");
        assertCode(with(ok, "user_id", "ghost"), "unknown_user");
        assertCode(with(ok, "client", ""), "invalid_client");
        operator().delete("/v1/grants/gr_nope").then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void deleteRemovesOnlyTheRulesNoOtherGrantStillCovers() {
        String wide = grant("kim", "*", 3000, 3999, List.of("tcp", "udp"));
        String narrow = grant("kim", "cl_x", 3100, 3100, List.of("tcp"));
        Rows.rule(store, "ru_k1", "cl_x", "kim", 3100, 3100, "tcp");   // covered by both
        Rows.rule(store, "ru_k2", "cl_y", "kim", 3200, 3205, "udp");   // only by the wide grant
        Rows.rule(store, "ru_k3", "cl_y", "kim", 3990, 4005, "tcp");   // by neither (range leaks out)
        Rows.rule(store, "ru_l1", "cl_y", "lee", 3300, 3300, "tcp");   // another user's rule
        operator().delete("/v1/grants/" + narrow).then().statusCode(200).body("grant_id", equalTo(narrow))
                .body("removed_rule_ids", equalTo(List.of()));
        operator().delete("/v1/grants/" + wide).then().statusCode(200)
                .body("removed_rule_ids", equalTo(List.of("ru_k1", "ru_k2")));
        assertEquals(1, Rows.count(store, "SELECT count(*) FROM rules WHERE id = 'ru_k3'"));
        assertEquals(1, Rows.count(store, "SELECT count(*) FROM rules WHERE id = 'ru_l1'"));
        assertEquals(0, Rows.count(store, "SELECT count(*) FROM grants WHERE user_id = 'kim'"));
    }

    @Test
    void aProtocolMismatchIsNotCovered() {
        String udpOnly = grant("kim", "cl_z", 5000, 5000, List.of("udp"));
        Rows.rule(store, "ru_tcp5000", "cl_z", "kim", 5000, 5000, "tcp");
        operator().delete("/v1/grants/" + udpOnly).then().statusCode(200).body("removed_rule_ids", equalTo(List.of()));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static void assertCode(Map<String, Object> body, String code) {
        operator().body(body).post("/v1/grants").then().statusCode(422).body("error.code", equalTo(code));
    }
}
