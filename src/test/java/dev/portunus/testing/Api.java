package dev.portunus.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Request helpers for @QuarkusTest classes: who calls, and small fixtures built through the API itself. */
public final class Api {

    public static final String PASSWORD = "correct horse battery";

    private Api() {
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    public static RequestSpecification operator() {
        return bearer(TempStoreResource.OPERATOR_TOKEN);
    }

    public static RequestSpecification bearer(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    /** Creates the user with {@link #PASSWORD} (409 ignored: fixtures are shared within a class). */
    public static void user(String id, String role) {
        operator().body(Map.of("user_id", id, "display_name", id.toUpperCase(), "role", role, "initial_password", PASSWORD))
                .post("/v1/users").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
    }

    /** Leaves bootstrap: a superadmin named {@code root} exists afterwards. */
    public static void superadminExists() {
        user("root", "superadmin");
    }

    public static String mint(String userId) {
        return operator().body("{}").post("/v1/users/" + userId + "/credentials").then().statusCode(201)
                .extract().path("token");
    }

    /** Logs in and returns the session cookie value. */
    public static String login(String userId) {
        Response r = anonymous().body(Map.of("user_id", userId, "password", PASSWORD)).post("/v1/auth/login");
        r.then().statusCode(200);
        return r.getCookie("portunus_session");
    }

    /** A cookie request that passes the CSRF rule (header + same-origin Origin). */
    public static RequestSpecification session(String cookie) {
        int port = io.restassured.RestAssured.port;
        return given().contentType(ContentType.JSON).cookie("portunus_session", cookie).header("X-Portunus-CSRF", "1")
                .header("Origin", "http://127.0.0.1:" + port);
    }
}
