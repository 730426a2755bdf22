package dev.portunus.auth;

import static dev.portunus.testing.Api.anonymous;
import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.login;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static dev.portunus.testing.Api.session;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.crypto.Secrets;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class AuthSeamTest {

    @Inject
    Store store;

    @BeforeEach
    void superadmin() {
        Api.superadminExists();
        Api.user("alice", "user");
    }

    @Test
    void missingOrWrongCredentialsAre401WithTheEnvelope() {
        anonymous().get("/v1/users/me").then().statusCode(401).body("error.code", equalTo("unauthenticated"));
        bearer("not-a-token").get("/v1/users/me").then().statusCode(401).body("error.code", equalTo("unauthenticated"));
        anonymous().cookie("portunus_session", "forged").get("/v1/users/me").then().statusCode(401);
    }

    @Test
    void anAuthenticatedRequestToAnUnknownRouteIs404Not401() {
        operator().get("/v1/no-such-route").then().statusCode(404).body("error.code", equalTo("not_found"));
        bearer(mint("alice")).get("/v1/nothing/here").then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void aMintedCredentialAuthenticatesAndIsStoredOnlyAsItsBlake3Hash() {
        String token = mint("alice");
        bearer(token).get("/v1/users/me").then().statusCode(200).body("user_id", equalTo("alice"))
                .body("role", equalTo("user"));
        long stored = store.read(h -> h.count("SELECT count(*) FROM credentials WHERE token_hash = ?", Secrets.blake3Hex(token)));
        assertEquals(1, stored);
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM credentials WHERE token_hash = ?", token)));
    }

    @Test
    void aRevokedCredentialGets401OnItsNextUse() {
        String token = mint("alice");
        String id = operator().get("/v1/users/alice/credentials").then().statusCode(200).extract().path("[-1].credential_id");
        bearer(token).get("/v1/users/me").then().statusCode(200);
        bearer(token).delete("/v1/credentials/" + id).then().statusCode(200).body("status", equalTo("revoked"));
        bearer(token).get("/v1/users/me").then().statusCode(401).body("error.code", equalTo("unauthenticated"));
    }

    @Test
    void loginSetsAnHttpOnlySameSiteLaxCookieThatIsStoredHashed() {
        io.restassured.response.Response r = anonymous().body(Map.of("user_id", "alice", "password", Api.PASSWORD))
                .post("/v1/auth/login");
        r.then().statusCode(200).body("password_change_required", equalTo(false))
                .header("Set-Cookie", containsString("HttpOnly")).header("Set-Cookie", containsString("SameSite=Lax"));
        String cookie = r.getCookie("portunus_session");
        assertNotNull(cookie);
        assertEquals(1L, (long) store.read(h -> h.count("SELECT count(*) FROM web_sessions WHERE id_hash = ?",
                Secrets.blake3Hex(cookie))));
        session(cookie).get("/v1/users/me").then().statusCode(200).body("user_id", equalTo("alice"));
    }

    @Test
    void aWrongPasswordIs401InvalidCredentialsWithoutACookie() {
        anonymous().body(Map.of("user_id", "alice", "password", "wrong password")).post("/v1/auth/login").then()
                .statusCode(401).body("error.code", equalTo("invalid_credentials"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        anonymous().body(Map.of("user_id", "nobody", "password", "wrong password")).post("/v1/auth/login").then()
                .statusCode(401).body("error.code", equalTo("invalid_credentials"));
    }

    @Test
    void aCookieWriteWithoutTheCsrfHeaderOrFromAnotherOriginIsRefused() {
        String cookie = login("alice");
        given().contentType(ContentType.JSON).cookie("portunus_session", cookie).body("{}")
                .post("/v1/users/alice/credentials").then().statusCode(403).body("error.code", equalTo("csrf_missing_header"));
        given().contentType(ContentType.JSON).cookie("portunus_session", cookie).header("X-Portunus-CSRF", "1").body("{}")
                .post("/v1/users/alice/credentials").then().statusCode(403).body("error.code", equalTo("csrf_origin_mismatch"));
        given().contentType(ContentType.JSON).cookie("portunus_session", cookie).header("X-Portunus-CSRF", "1")
                .header("Origin", "http://evil.example:1234").body("{}")
                .post("/v1/users/alice/credentials").then().statusCode(403).body("error.code", equalTo("csrf_origin_mismatch"));
        session(cookie).body("{}").post("/v1/users/alice/credentials").then().statusCode(201);
        // Bearer writes need neither.
        bearer(mint("alice")).body("{}").post("/v1/users/alice/credentials").then().statusCode(201);
    }

    @Test
    void aCookieWriteOverHttp2MatchesItsOriginAgainstTheAuthority() throws Exception {
        // HTTP/2 (here cleartext h2c, as the JDK client upgrades to it) sends :authority and no Host header.
        String cookie = login("alice");
        String origin = "http://localhost:" + io.restassured.RestAssured.port;
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> post = from -> {
            try {
                return h2.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(origin + "/v1/users/alice/credentials"))
                        .header("Cookie", "portunus_session=" + cookie).header("X-Portunus-CSRF", "1").header("Origin", from)
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        post.apply(origin); // the first request upgrades the connection to HTTP/2
        java.net.http.HttpResponse<String> same = post.apply(origin);
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, same.version(), "the server did not speak HTTP/2; this test proves nothing");
        assertEquals(201, same.statusCode(), same.body());
        java.net.http.HttpResponse<String> other = post.apply("http://evil.example:1234");
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("csrf_origin_mismatch"), other.body());
    }

    @Test
    void logoutRevokesTheSessionAndNeedsCsrfToo() {
        String cookie = login("alice");
        given().cookie("portunus_session", cookie).post("/v1/auth/logout").then().statusCode(403)
                .body("error.code", equalTo("csrf_missing_header"));
        session(cookie).post("/v1/auth/logout").then().statusCode(204);
        session(cookie).get("/v1/users/me").then().statusCode(401);
    }

    @Test
    void passwordChangeRequiredConfinesTheSessionToMeAndPasswordAndLogout() {
        operator().body(Map.of("user_id", "newbie", "display_name", "N", "initial_password", Api.PASSWORD,
                "password_change_required", true)).post("/v1/users").then().statusCode(201);
        io.restassured.response.Response r = anonymous().body(Map.of("user_id", "newbie", "password", Api.PASSWORD))
                .post("/v1/auth/login");
        r.then().statusCode(200).body("password_change_required", equalTo(true));
        String cookie = r.getCookie("portunus_session");
        session(cookie).get("/v1/users/me").then().statusCode(200);
        session(cookie).get("/v1/users/newbie").then().statusCode(403).body("error.code", equalTo("password_change_required"));
        session(cookie).body("{}").post("/v1/users/newbie/credentials").then().statusCode(403)
                .body("error.code", equalTo("password_change_required"));
        session(cookie).body(Map.of("current_password", Api.PASSWORD, "new_password", "a brand new one",
                "new_password_confirm", "a brand new one")).post("/v1/users/me/password").then().statusCode(204);
        session(cookie).get("/v1/users/newbie").then().statusCode(200).body("user_id", equalTo("newbie"));
    }

    @Test
    void aUserCannotUseSuperadminRoutes() {
        String token = mint("alice");
        bearer(token).get("/v1/users").then().statusCode(403).body("error.code", equalTo("forbidden"));
        bearer(token).get("/v1/audit").then().statusCode(403);
        bearer(token).get("/v1/users/root").then().statusCode(403);
        bearer(token).get("/v1/users/alice").then().statusCode(200);
    }
}
