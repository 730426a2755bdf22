package dev.portunus.quotas;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class EnvelopeAndQuotaApiTest {

    @Inject
    Store store;

    String client;

    @BeforeEach
    void setUp() {
        Api.user("fay", "user");
        Api.user("gus", "user");
        client = ClientFixtures.client("edge-q");
    }

    static RequestSpecification operator() {
        return given().auth().oauth2(TempStoreResource.OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    @Test
    void ownerEnvelopesArePutReadListedAndDeleted() {
        String path = "/v1/clients/" + client + "/owners/fay/rate-limit";
        operator().when().get(path).then().statusCode(404).body("error.code", equalTo("not_found"));
        operator().body(Map.of("bandwidth_in_bps", 1000, "bandwidth_in_burst", 2000)).when().put(path)
                .then().statusCode(200).body("client_id", equalTo(client)).body("owner_id", equalTo("fay"))
                .body("rate_limit.bandwidth_in_bps", equalTo(1000)).body("rate_limit.bandwidth_in_burst", equalTo(2000));
        operator().body(Map.of("concurrent_connections", 10)).when().put(path)
                .then().statusCode(200).body("rate_limit.concurrent_connections", equalTo(10))
                .body("rate_limit.bandwidth_in_bps", nullValue());
        operator().body(Map.of()).when().put(path).then().statusCode(422).body("error.code", equalTo("rate_limit_empty"));
        operator().body(Map.of("bandwidth_out_burst", 10)).when().put(path).then().statusCode(422)
                .body("error.code", equalTo("burst_without_rate"));
        operator().body(Map.of("new_connections_per_sec", 0)).when().put(path).then().statusCode(422)
                .body("error.code", equalTo("invalid_rate_limit"));
        operator().body(Map.of("concurrent_connections", 1)).when().put("/v1/clients/" + client + "/owners/nobody/rate-limit")
                .then().statusCode(404);
        operator().body(Map.of("concurrent_connections", 1)).when().put("/v1/clients/NOPE/owners/fay/rate-limit")
                .then().statusCode(404);

        operator().body(Map.of("client", client, "owner", "gus", "listen_port", 8000, "target_host", "h.example", "target_port", 80))
                .when().post("/v1/rules").then().statusCode(201);
        operator().when().get("/v1/clients/" + client + "/owners").then().statusCode(200)
                .body("owner_id", contains("fay", "gus")).body("rule_count", contains(0, 1))
                .body("[0].rate_limit.concurrent_connections", equalTo(10)).body("[1].rate_limit", nullValue());

        operator().when().delete(path).then().statusCode(204);
        operator().when().delete(path).then().statusCode(404);
        operator().when().get("/v1/clients/" + client + "/owners").then().statusCode(200).body("owner_id", contains("gus"));
    }

    @Test
    void quotasArePutPatchedListedAndDeleted() {
        String path = "/v1/users/fay/quotas/" + client;
        operator().when().get(path).then().statusCode(404);
        operator().body(Map.of("monthly_bytes", 1_000_000)).when().put(path).then().statusCode(200)
                .body("user_id", equalTo("fay")).body("client_id", equalTo(client)).body("monthly_bytes", equalTo(1_000_000))
                .body("reset_day", equalTo(1)).body("action", equalTo("block"));
        operator().body(Map.of("action", "notify", "reset_day", 15)).when().patch(path).then().statusCode(200)
                .body("monthly_bytes", equalTo(1_000_000)).body("action", equalTo("notify")).body("reset_day", equalTo(15));
        operator().body(Map.of("monthly_bytes", 0)).when().patch(path).then().statusCode(422).body("error.code", equalTo("invalid_monthly_bytes"));
        operator().body(Map.of("monthly_bytes", 5, "reset_day", 29)).when().put(path).then().statusCode(422).body("error.code", equalTo("invalid_reset_day"));
        operator().body(Map.of("monthly_bytes", 5, "action", "drop")).when().put(path).then().statusCode(422).body("error.code", equalTo("invalid_action"));
        operator().body(Map.of("reset_day", 2)).when().put(path).then().statusCode(422).body("error.code", equalTo("invalid_monthly_bytes"));
        operator().body(Map.of("monthly_bytes", "5")).when().put(path).then().statusCode(422);
        operator().body(Map.of("monthly_bytes", 5)).when().put("/v1/users/nobody/quotas/" + client).then().statusCode(404);
        operator().body(Map.of("monthly_bytes", 5)).when().patch("/v1/users/gus/quotas/" + client).then().statusCode(404);

        String other = ClientFixtures.client("edge-q2");
        operator().body(Map.of("monthly_bytes", 7)).when().put("/v1/users/fay/quotas/" + other).then().statusCode(200);
        operator().body(Map.of("monthly_bytes", 9)).when().put("/v1/users/gus/quotas/" + client).then().statusCode(200);
        operator().when().get("/v1/users/fay/quotas").then().statusCode(200).body("$", hasSize(2));
        operator().when().get("/v1/clients/" + client + "/quotas").then().statusCode(200).body("user_id", contains("fay", "gus"));

        operator().when().delete(path).then().statusCode(204);
        operator().when().get("/v1/clients/" + client + "/quotas").then().statusCode(200).body("user_id", contains("gus"));
        given().when().get("/v1/users/fay/quotas").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(401), equalTo(503))); // 503 while onboarding is open
    }

    @Test
    void statusSumsThisPeriodsTrafficWithoutCountingRolledUpMinutesTwice() {
        String path = "/v1/users/fay/quotas/" + client;
        operator().body(Map.of("monthly_bytes", 1000, "reset_day", 1)).when().put(path).then().statusCode(200);
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime hour = now.withMinute(0).withSecond(0).withNano(0);
        ZonedDateTime lastMonth = hour.withDayOfMonth(1).minusDays(1);
        // The rollup watermark says which hours are in traffic_samples_1h (06-traffic.md §2.4).
        sample("traffic_samples_1h", hour.minusHours(1), 100, 200);
        sample("traffic_samples_1m", hour.minusHours(1).plusMinutes(1), 100, 200); // rolled up into the hour above: not counted again
        store.write(h -> h.update("INSERT INTO traffic_rollup_state (id, last_rolled_hour) VALUES (1, ?)",
                hour.minusHours(1).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"))));
        sample("traffic_samples_1m", hour.plusMinutes(5), 10, 20); // after the watermark: counted from minutes
        sample("traffic_samples_1h", lastMonth, 5000, 5000); // previous period
        if (hour.minusHours(1).getMonth() != hour.getMonth()) {
            return; // first hour of the month: the hourly sample above lies in the previous period; skip the sums
        }
        operator().when().get(path + "/status").then().statusCode(200)
                .body("bytes_in", equalTo(110)).body("bytes_out", equalTo(220)).body("used_bytes", equalTo(330))
                .body("remaining_bytes", equalTo(670)).body("exceeded", equalTo(false))
                .body("period_start", equalTo(LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1) + "T00:00:00.000Z"));
        operator().body(Map.of("monthly_bytes", 300)).when().patch(path).then().statusCode(200);
        operator().when().get(path + "/status").then().statusCode(200).body("exceeded", equalTo(true)).body("remaining_bytes", equalTo(0));
    }

    @Test
    void theQuotaPeriodStartsOnTheResetDay() {
        assertEquals(LocalDate.of(2026, 3, 15), QuotaService.periodStart(LocalDate.of(2026, 3, 15), 15));
        assertEquals(LocalDate.of(2026, 2, 15), QuotaService.periodStart(LocalDate.of(2026, 3, 14), 15));
        assertEquals(LocalDate.of(2025, 12, 28), QuotaService.periodStart(LocalDate.of(2026, 1, 3), 28));
    }

    private void sample(String table, ZonedDateTime bucket, long in, long out) {
        String ts = bucket.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"));
        store.write(h -> h.update("INSERT INTO " + table + " (user_id, client_id, bucket_start, bytes_in, bytes_out) VALUES (?, ?, ?, ?, ?)",
                "fay", client, ts, in, out));
    }
}
