package dev.portunus.auth;

import static dev.portunus.testing.Api.anonymous;
import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.crypto.Secrets;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootstrapTest {

    @Inject
    Store store;

    @Test
    @Order(1)
    void startMintsAHashedSetupTokenThatExpiresInThirtyMinutes() {
        String[] row = store.read(h -> h.one("SELECT token_hash, created_at, expires_at FROM onboarding_setup WHERE id = 1",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})).orElseThrow();
        assertEquals(64, row[0].length(), "lowercase hex BLAKE3, never the token");
        assertEquals(30 * 60, Instant.parse(row[2]).getEpochSecond() - Instant.parse(row[1]).getEpochSecond());
    }

    @Test
    @Order(2)
    void beforeOnboardingEveryProtectedRouteAnswersBootstrapRequiredExceptForTheOperatorToken() {
        anonymous().get("/v1/auth/status").then().statusCode(200).body("onboarding_required", equalTo(true));
        anonymous().get("/v1/users").then().statusCode(503).body("error.code", equalTo("bootstrap_required"));
        anonymous().header("Authorization", "Bearer wrong").get("/v1/users/me").then().statusCode(503)
                .body("error.code", equalTo("bootstrap_required"));
        operator().get("/v1/users").then().statusCode(200);
    }

    @Test
    @Order(3)
    void onboardingRefusesAWrongSetupTokenAndMismatchedPasswords() {
        anonymous().body(body("wrong-token")).post("/v1/auth/onboarding").then().statusCode(403)
                .body("error.code", equalTo("invalid_setup_token"));
        Map<String, Object> b = new java.util.HashMap<>(body(knownToken()));
        b.put("password_confirm", "something else");
        anonymous().body(b).post("/v1/auth/onboarding").then().statusCode(422).body("error.code", equalTo("password_mismatch"));
    }

    @Test
    @Order(4)
    void onboardingWithTheSetupTokenCreatesTheFirstSuperadminAndClosesBootstrap() {
        String token = knownToken();
        anonymous().body(body(token)).post("/v1/auth/onboarding").then().statusCode(201)
                .body("user_id", equalTo("admin")).body("role", equalTo("superadmin"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        anonymous().get("/v1/auth/status").then().statusCode(200).body("onboarding_required", equalTo(false));
        anonymous().get("/v1/users").then().statusCode(401).body("error.code", equalTo("unauthenticated"));
        anonymous().body(body(token)).post("/v1/auth/onboarding").then().statusCode(409);
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM onboarding_setup")), "token is single-use");
        String cookie = dev.portunus.testing.Api.login("admin");
        dev.portunus.testing.Api.session(cookie).get("/v1/users/me").then().statusCode(200).body("role", equalTo("superadmin"));
    }

    /** Replaces the minted token with one the test knows (only its hash is stored, as serve does). */
    private String knownToken() {
        String token = Secrets.newToken();
        store.write(h -> h.update("UPDATE onboarding_setup SET token_hash = ?, expires_at = ? WHERE id = 1",
                Secrets.blake3Hex(token), Timestamps.format(Instant.now().plusSeconds(600))));
        return token;
    }

    private static Map<String, Object> body(String token) {
        return Map.of("user_id", "admin", "display_name", "Admin", "password", dev.portunus.testing.Api.PASSWORD,
                "password_confirm", dev.portunus.testing.Api.PASSWORD, "setup_token", token);
    }
}
