package dev.portunus.testing;

import java.util.List;
import java.util.Map;

/** Clients and grants made through the real routes, for tests of rules, clients, envelopes and quotas. */
public final class ClientFixtures {

    private ClientFixtures() {
    }

    /** Creates an enrollment as the operator and returns the whole answer. */
    public static Map<String, Object> enrollment(String name) {
        return Api.operator().body(Map.of("name", name)).when().post("/v1/client-enrollments")
                .then().statusCode(201).extract().jsonPath().getMap("$");
    }

    public static String client(String name) {
        return (String) enrollment(name).get("client_id");
    }

    /** A grant for {@code userId}; returns its id. */
    public static String grant(String userId, String client, int start, int end, String... protocols) {
        return Api.operator().body(Map.of("user_id", userId, "client", client, "listen_port_start", start,
                "listen_port_end", end, "protocols", List.of(protocols)))
                .when().post("/v1/grants").then().statusCode(201).extract().path("grant_id");
    }
}
