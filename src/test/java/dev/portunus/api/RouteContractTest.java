package dev.portunus.api;

import static dev.portunus.testing.Api.anonymous;
import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.Api;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every route shares: 401 without credentials, 403 for the wrong role, malformed
 * JSON → 400, oversized bodies → 413, all in the error envelope; and no body ever carries a hash,
 * a password, SQL or a stack trace.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class RouteContractTest {

    record Route(String method, String path, String body, boolean superadminOnly, boolean hasBody) {
    }

    static final List<Route> ROUTES = List.of(
            new Route("GET", "/v1/users/me", null, false, false),
            new Route("POST", "/v1/users/me/password", "{\"current_password\":\"x\",\"new_password\":\"yyyyyyyy\",\"new_password_confirm\":\"yyyyyyyy\"}", false, true),
            new Route("GET", "/v1/users", null, true, false),
            new Route("POST", "/v1/users", "{\"user_id\":\"zed\",\"display_name\":\"Z\"}", true, true),
            new Route("GET", "/v1/users/root", null, true, false),
            new Route("DELETE", "/v1/users/root", null, true, false),
            new Route("POST", "/v1/users/root/password", "{\"temporary_password\":true}", true, true),
            new Route("POST", "/v1/users/root/credentials", "{}", true, true),
            new Route("GET", "/v1/users/root/credentials", null, true, false),
            new Route("DELETE", "/v1/credentials/cr_00", null, false, false),
            new Route("GET", "/v1/grants", null, true, false),
            new Route("POST", "/v1/grants", "{\"user_id\":\"bob\",\"client\":\"*\",\"listen_port_start\":1,\"listen_port_end\":2,\"protocols\":[\"tcp\"]}", true, true),
            new Route("DELETE", "/v1/grants/gr_00", null, true, false),
            new Route("GET", "/v1/audit", null, true, false),
            new Route("GET", "/v1/settings/advertised-endpoint", null, true, false),
            new Route("PUT", "/v1/settings/advertised-endpoint", "{\"advertised_endpoint\":null}", true, true),
            new Route("POST", "/v1/clients/cl_00/enrollment", "{}", true, true),
            new Route("GET", "/v1/traffic/global?from=0&to=3600&bucket=1h", null, true, false),
            new Route("GET", "/v1/users/root/traffic?from=0&to=3600&bucket=1h", null, true, false),
            new Route("GET", "/v1/clients/NOPE/traffic?from=0&to=3600&bucket=1h", null, true, false),
            new Route("POST", "/v1/auth/logout", null, false, false));

    /** Things that must never appear in a response body. */
    static final List<Pattern> SECRETS = List.of(Pattern.compile("\\$argon2"), Pattern.compile("[0-9a-f]{64}"),
            Pattern.compile("(?i)select |insert into|sqlite"), Pattern.compile("\\tat [a-z]"),
            Pattern.compile(Pattern.quote(Api.PASSWORD)), Pattern.compile(Pattern.quote(TempStoreResource.OPERATOR_TOKEN)),
            Pattern.compile("(?i)password_hash|token_hash|id_hash"));

    @BeforeEach
    void users() {
        Api.superadminExists();
        Api.user("bob", "user");
    }

    private static Response call(io.restassured.specification.RequestSpecification spec, Route r, String body) {
        if (body != null) {
            spec = spec.body(body);
        }
        return spec.request(r.method(), r.path());
    }

    @Test
    void everyRouteAnswers401WithoutCredentials() {
        for (Route r : ROUTES) {
            call(anonymous(), r, r.body()).then().statusCode(401).body("error.code", equalTo("unauthenticated"));
        }
    }

    @Test
    void superadminRoutesAnswer403ToAPlainUser() {
        String token = mint("bob");
        for (Route r : ROUTES) {
            if (r.superadminOnly()) {
                Response resp = call(bearer(token), r, r.body());
                resp.then().statusCode(403).body("error.code", equalTo("forbidden"));
            }
        }
        String other = mint("root");
        String id = operator().get("/v1/users/root/credentials").then().extract().path("[0].credential_id");
        bearer(token).delete("/v1/credentials/" + id).then().statusCode(403);
        bearer(other).get("/v1/users/me").then().statusCode(200);
    }

    @Test
    void malformedJsonIs400AndOversizedBodiesAre413OnEveryRouteWithABody() {
        String huge = "{\"user_id\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        for (Route r : ROUTES) {
            if (r.hasBody()) {
                call(operator(), r, "{\"user_id\": ").then().statusCode(400)
                        .body("error.code", org.hamcrest.Matchers.oneOf("malformed_json", "malformed_request"));
                call(operator(), r, huge).then().statusCode(413).body("error.code", equalTo("body_too_large"));
            }
        }
    }

    @Test
    void unknownFieldsAndWrongTypesAre422NamingTheField() {
        operator().body("{\"user_id\":\"a1\",\"display_name\":\"A\",\"colour\":\"red\"}").post("/v1/users").then()
                .statusCode(422).body("error.code", equalTo("unknown_field"))
                .body("error.message", org.hamcrest.Matchers.containsString("colour"));
        operator().body("{\"user_id\":\"bob\",\"client\":\"*\",\"listen_port_start\":\"80\",\"listen_port_end\":80,\"protocols\":[\"tcp\"]}")
                .post("/v1/grants").then().statusCode(422)
                .body("error.message", org.hamcrest.Matchers.containsString("listen_port_start"));
        operator().body("{\"user_id\":\"a2\",\"display_name\":\"A\",\"password_change_required\":\"yes\"}").post("/v1/users")
                .then().statusCode(422);
    }

    @Test
    void noResponseEverCarriesAHashAPasswordSqlOrAStackTrace() {
        List<String> bodies = new ArrayList<>();
        String token = mint("bob");
        for (Route r : ROUTES) {
            if (r.method().equals("DELETE") && r.path().startsWith("/v1/users/")) {
                continue; // keep the superadmin for the other calls
            }
            bodies.add(call(operator(), r, r.body()).asString());
            bodies.add(call(bearer(token), r, r.body()).asString());
            bodies.add(call(anonymous(), r, r.body()).asString());
            bodies.add(call(operator(), r, "{\"bad").asString());
        }
        bodies.add(operator().get("/v1/users/bob/credentials").asString());
        bodies.add(operator().get("/v1/users").asString());
        bodies.add(operator().get("/v1/audit?limit=1000").asString());
        for (String body : bodies) {
            for (Pattern p : SECRETS) {
                assertFalse(p.matcher(body).find(), () -> "response leaks " + p + ": " + body);
            }
        }
        assertTrue(bodies.size() > 40);
    }

    @Test
    void theMintedTokenIsShownOnceAndNeverListed() {
        Response minted = operator().body("{\"label\":\"ci\"}").post("/v1/users/bob/credentials");
        minted.then().statusCode(201);
        String token = minted.path("token");
        String listed = operator().get("/v1/users/bob/credentials").asString();
        assertFalse(listed.contains(token));
        assertTrue(listed.contains("\"label\":\"ci\""));
    }

    @Test
    void unsupportedMediaTypeAndMethodUseTheEnvelope() {
        operator().contentType("text/plain").body("x").post("/v1/users").then().statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"));
        operator().put("/v1/users").then().statusCode(405).body("error.code", equalTo("method_not_allowed"));
    }
}
