package dev.portunus.users;

import static dev.portunus.testing.Api.anonymous;
import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.login;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static dev.portunus.testing.Api.session;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
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
class UsersApiTest {

    @Inject
    Store store;

    @BeforeEach
    void root() {
        Api.superadminExists();
    }

    @Test
    void createListGetAndTheUserViewShape() {
        operator().body(Map.of("user_id", "carol", "display_name", "Carol")).post("/v1/users").then().statusCode(201)
                .body("user_id", equalTo("carol")).body("role", equalTo("user")).body("disabled", equalTo(false))
                .body("grant_count", equalTo(0));
        operator().get("/v1/users").then().statusCode(200).body("find { it.user_id == 'carol' }.display_name", equalTo("Carol"));
        String json = operator().get("/v1/users/carol").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(json.matches(
                "\\{\"user_id\":\"carol\",\"display_name\":\"Carol\",\"role\":\"user\",\"disabled\":false,\"created_at\":\"[^\"]{24}\",\"grant_count\":0\\}"), json);
    }

    @Test
    void createRefusesDuplicatesAndInvalidFieldsWithTheirCodes() {
        Api.user("dave", "user");
        operator().body(Map.of("user_id", "dave", "display_name", "D")).post("/v1/users").then().statusCode(409)
                .body("error.code", equalTo("conflict"));
        operator().body(Map.of("user_id", "Bad Id", "display_name", "D")).post("/v1/users").then().statusCode(422)
                .body("error.code", equalTo("invalid_user_id"));
        operator().body(Map.of("user_id", "ok1", "display_name", "D", "role", "god")).post("/v1/users").then().statusCode(422)
                .body("error.code", equalTo("invalid_role"));
        operator().body(Map.of("user_id", "ok2", "display_name", "D", "initial_password", "short")).post("/v1/users").then()
                .statusCode(422).body("error.code", equalTo("weak_password"));
        operator().body(Map.of("user_id", "ok3")).post("/v1/users").then().statusCode(422).body("error.code", equalTo("missing_field"));
        operator().get("/v1/users/nobody").then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void aUserMaySeeItselfButNoOneElse() {
        Api.user("erin", "user");
        String token = mint("erin");
        bearer(token).get("/v1/users/erin").then().statusCode(200).body("user_id", equalTo("erin"));
        bearer(token).get("/v1/users/root").then().statusCode(403);
        bearer(token).get("/v1/users/me").then().statusCode(200).body("display_name", equalTo("ERIN"));
        bearer(token).delete("/v1/users/erin").then().statusCode(403);
    }

    @Test
    void deletingAUserRemovesEverythingItOwnsAndReportsIt() {
        Api.user("frank", "user");
        String cred = operator().body("{}").post("/v1/users/frank/credentials").then().statusCode(201).extract().path("credential_id");
        String grant = operator().body(Map.of("user_id", "frank", "client", "*", "listen_port_start", 1000,
                "listen_port_end", 2000, "protocols", List.of("tcp"))).post("/v1/grants").then().statusCode(201)
                .extract().path("grant_id");
        Rows.rule(store, "ru_frank", "cl_1", "frank", 1500, 1500, "tcp");
        login("frank");
        operator().delete("/v1/users/frank").then().statusCode(200).body("user_id", equalTo("frank"))
                .body("removed_credential_ids", equalTo(List.of(cred))).body("revoked_grant_ids", equalTo(List.of(grant)))
                .body("removed_rule_ids", equalTo(List.of("ru_frank")));
        for (String table : List.of("credentials WHERE user_id", "grants WHERE user_id", "rules WHERE owner_id",
                "web_sessions WHERE user_id", "users WHERE id")) {
            assertEquals(0, Rows.count(store, "SELECT count(*) FROM " + table + " = 'frank'"), table);
        }
        operator().delete("/v1/users/frank").then().statusCode(404);
    }

    @Test
    void deletingAUserIsAllOrNothingWhenAStepFails() {
        Api.user("gina", "user");
        mint("gina");
        operator().body(Map.of("user_id", "gina", "client", "*", "listen_port_start", 1, "listen_port_end", 9,
                "protocols", List.of("udp"))).post("/v1/grants").then().statusCode(201);
        Rows.rule(store, "ru_gina", "cl_1", "gina", 5, 5, "udp");
        // Fail the third step (rules) after credentials and sessions were already deleted. A schema trigger,
        // not TEMP: temp triggers live on one pooled connection only.
        store.write(h -> h.update("CREATE TRIGGER fail_rule_delete BEFORE DELETE ON rules WHEN old.owner_id = 'gina' "
                + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
        try {
            operator().delete("/v1/users/gina").then().statusCode(503).body("error.code", equalTo("store_unavailable"))
                    .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("injected")));
        } finally {
            store.write(h -> h.update("DROP TRIGGER IF EXISTS fail_rule_delete"));
        }
        assertEquals(1, Rows.count(store, "SELECT count(*) FROM users WHERE id = 'gina'"));
        assertEquals(1, Rows.count(store, "SELECT count(*) FROM credentials WHERE user_id = 'gina'"));
        assertEquals(1, Rows.count(store, "SELECT count(*) FROM grants WHERE user_id = 'gina'"));
        assertEquals(1, Rows.count(store, "SELECT count(*) FROM rules WHERE owner_id = 'gina'"));
    }

    @Test
    void theLastSuperadminCannotBeDeleted() {
        operator().delete("/v1/users/root").then().statusCode(409).body("error.code", equalTo("conflict"));
    }

    @Test
    void resetPasswordWithATemporaryPasswordRevokesSessionsAndForcesAChange() {
        Api.user("hank", "user");
        String cookie = login("hank");
        String temp = operator().body(Map.of("temporary_password", true)).post("/v1/users/hank/password").then().statusCode(200)
                .body("user_id", equalTo("hank")).body("sessions_revoked", equalTo(1)).extract().path("temporary_password");
        session(cookie).get("/v1/users/me").then().statusCode(401);
        anonymous().body(Map.of("user_id", "hank", "password", temp)).post("/v1/auth/login").then().statusCode(200)
                .body("password_change_required", equalTo(true));
        operator().body(Map.of("new_password", "another good one")).post("/v1/users/hank/password").then().statusCode(200)
                .body("temporary_password", org.hamcrest.Matchers.nullValue());
        operator().body(Map.of("temporary_password", false)).post("/v1/users/hank/password").then().statusCode(422)
                .body("error.code", equalTo("invalid_password_reset"));
        operator().body(Map.of("temporary_password", true)).post("/v1/users/nobody/password").then().statusCode(404);
    }

    @Test
    void changingTheOwnPasswordChecksTheCurrentOneAndTheConfirmation() {
        Api.user("ivy", "user");
        String cookie = login("ivy");
        session(cookie).body(Map.of("current_password", "wrong one!", "new_password", "new password 1",
                "new_password_confirm", "new password 1")).post("/v1/users/me/password").then().statusCode(403)
                .body("error.code", equalTo("invalid_current_password"));
        session(cookie).body(Map.of("current_password", Api.PASSWORD, "new_password", "new password 1",
                "new_password_confirm", "new password 2")).post("/v1/users/me/password").then().statusCode(422)
                .body("error.code", equalTo("password_mismatch"));
        session(cookie).body(Map.of("current_password", Api.PASSWORD, "new_password", "new password 1",
                "new_password_confirm", "new password 1")).post("/v1/users/me/password").then().statusCode(204);
        anonymous().body(Map.of("user_id", "ivy", "password", "new password 1")).post("/v1/auth/login").then().statusCode(200);
        operator().body(Map.of("current_password", "x", "new_password", "yyyyyyyy", "new_password_confirm", "yyyyyyyy"))
                .post("/v1/users/me/password").then().statusCode(403);
    }

    @Test
    void credentialsAreListedWithoutSecretsAndRevocableByTheirOwner() {
        Api.user("jack", "user");
        String token = mint("jack");
        bearer(token).body(Map.of("label", "laptop")).post("/v1/users/jack/credentials").then().statusCode(201);
        bearer(token).get("/v1/users/jack/credentials").then().statusCode(200).body("$", hasSize(2))
                .body("[1].label", equalTo("laptop")).body("[0].status", equalTo("active"));
        bearer(token).get("/v1/users/root/credentials").then().statusCode(403);
        bearer(token).body("{}").post("/v1/users/root/credentials").then().statusCode(403);
        operator().get("/v1/users/nobody/credentials").then().statusCode(404);
        operator().body("{}").post("/v1/users/nobody/credentials").then().statusCode(404);
        operator().delete("/v1/credentials/cr_missing").then().statusCode(404);
        operator().body(Map.of("label", 5)).post("/v1/users/jack/credentials").then().statusCode(422);
    }
}
