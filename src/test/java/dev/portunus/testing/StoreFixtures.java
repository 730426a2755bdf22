package dev.portunus.testing;

import static io.restassured.RestAssured.given;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import io.restassured.http.ContentType;
import java.util.Map;

/**
 * Rows the API engineer's routes create (users, grants), inserted directly for tests of rules,
 * clients, envelopes and quotas; plus an enrolled-or-pending client made through the real route.
 */
public final class StoreFixtures {

    private StoreFixtures() {
    }

    public static void user(Store store, String id, String role) {
        store.write(h -> h.update("INSERT INTO users (id, role, display_name, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (id) DO NOTHING", id, role, id, Timestamps.now()));
    }

    public static void grant(Store store, String id, String userId, String client, int start, int end, String protocols) {
        store.write(h -> h.update("INSERT INTO grants (id, user_id, client, listen_port_start, listen_port_end, protocols, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, userId, client, start, end, protocols, Timestamps.now()));
    }

    /** Creates an enrollment as the operator and returns the whole answer. */
    public static Map<String, Object> enrollment(String name) {
        return given().auth().oauth2(TempStoreResource.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .when().post("/v1/client-enrollments")
                .then().statusCode(201).extract().jsonPath().getMap("$");
    }

    public static String client(String name) {
        return (String) enrollment(name).get("client_id");
    }
}
