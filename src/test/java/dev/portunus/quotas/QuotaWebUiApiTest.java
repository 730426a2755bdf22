package dev.portunus.quotas;

import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quotas as the upstream web UI reads them (06-traffic.md §5.6, §5.7, §7.3, §7.4). */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class QuotaWebUiApiTest {

    @Inject
    Store store;

    String client;

    /** Each test has its own client and users ({@code ulla}, {@code vic} in the first test, suffixed after). */
    @BeforeEach
    void setUp() {
        Api.superadminExists();
        client = ClientFixtures.client("edge-ui-q");
    }

    static void users(String... ids) {
        for (String id : ids) {
            Api.user(id, "user");
        }
    }

    @Test
    void aUserReadsItsOwnQuotasButNotAnotherUsersAndWritesStaySuperadminOnly() {
        users("ulla", "vic");
        operator().body(Map.of("monthly_bytes", 1000)).put("/v1/users/ulla/quotas/" + client).then().statusCode(200);
        operator().body(Map.of("monthly_bytes", 1000)).put("/v1/users/vic/quotas/" + client).then().statusCode(200);
        String ulla = mint("ulla");
        bearer(ulla).get("/v1/users/ulla/quotas").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].client_id", equalTo(client)).body("[0].client_name", equalTo("edge-ui-q"));
        bearer(ulla).get("/v1/users/ulla/quotas/" + client + "/status").then().statusCode(200).body("user_id", equalTo("ulla"));
        bearer(ulla).get("/v1/users/vic/quotas").then().statusCode(403).body("error.code", equalTo("forbidden"));
        bearer(ulla).get("/v1/users/vic/quotas/" + client + "/status").then().statusCode(403);
        bearer(ulla).get("/v1/users/nobody/quotas").then().statusCode(403); // ownership before existence: nothing leaks
        bearer(ulla).get("/v1/users/ulla/quotas/" + client).then().statusCode(403);
        bearer(ulla).body(Map.of("monthly_bytes", 5)).put("/v1/users/ulla/quotas/" + client).then().statusCode(403);
        bearer(ulla).body(Map.of("clear_period_usage", true)).patch("/v1/users/ulla/quotas/" + client).then().statusCode(403);
        bearer(ulla).delete("/v1/users/ulla/quotas/" + client).then().statusCode(403);
        bearer(ulla).get("/v1/clients/" + client + "/quotas").then().statusCode(403);
        operator().get("/v1/users/vic/quotas").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void theUpstreamFieldsAreComputedFromTheSamples() {
        users("ulla2", "vic2");
        String path = "/v1/users/ulla2/quotas/" + client;
        operator().body(Map.of("monthly_bytes", 1000, "reset_day", 1)).put(path).then().statusCode(200);
        ZonedDateTime hour = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        LocalDate periodStart = hour.toLocalDate().withDayOfMonth(1);
        long start = periodStart.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = periodStart.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        sample("ulla2", "traffic_samples_1h", hour.toInstant(), 100, 200);
        sample("ulla2", "traffic_samples_1m", hour.toInstant().plusSeconds(60), 100, 200); // rolled into the hour above
        sample("ulla2", "traffic_samples_1h", Instant.ofEpochSecond(start).minus(1, ChronoUnit.HOURS), 5000, 5000); // last period
        sample("vic2", "traffic_samples_1h", hour.toInstant(), 7, 7); // another user

        operator().get("/v1/users/ulla2/quotas").then().statusCode(200)
                .body("[0].monthly_bytes", equalTo(1000)).body("[0].client_name", equalTo("edge-ui-q"))
                .body("[0].current_period_bytes_used", equalTo(300))
                .body("[0].current_period_started_at", equalTo((int) start)).body("[0].current_period_ends_at", equalTo((int) end))
                .body("[0].budget_remaining_bytes", equalTo(700)).body("[0].exhausted", equalTo(false))
                .body("[0]", hasKey("exhausted_at")).body("[0].exhausted_at", nullValue())
                .body("[0].billing_anchor", equalTo((int) start));
        operator().get("/v1/clients/" + client + "/quotas").then().statusCode(200).body("[0].current_period_bytes_used", equalTo(300));
        operator().get(path + "/status").then().statusCode(200).body("used_bytes", equalTo(300))
                .body("current_period_bytes_used", equalTo(300)).body("usage_counted_from", equalTo(Timestamps.format(Instant.ofEpochSecond(start))));

        // Over the cap: exhausted, and the budget goes negative as upstream's does (status's remaining_bytes stays clamped).
        operator().body(Map.of("monthly_bytes", 250)).patch(path).then().statusCode(200)
                .body("exhausted", equalTo(true)).body("budget_remaining_bytes", equalTo(-50));
        operator().get(path + "/status").then().body("exceeded", equalTo(true)).body("remaining_bytes", equalTo(0))
                .body("exhausted", equalTo(true)).body("budget_remaining_bytes", equalTo(-50));
    }

    @Test
    void clearPeriodUsageRestartsTheUsageOfThisPeriod() {
        users("vic3");
        String path = "/v1/users/vic3/quotas/" + client;
        operator().body(Map.of("monthly_bytes", 1000)).put(path).then().statusCode(200);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        sample("vic3", "traffic_samples_1m", hour, 400, 400);
        operator().get(path + "/status").then().body("used_bytes", equalTo(800));
        operator().get(path).then().statusCode(200).body("current_period_bytes_used", equalTo(800));

        operator().body(Map.of("clear_period_usage", true)).patch(path).then().statusCode(200)
                .body("current_period_bytes_used", equalTo(0)).body("exhausted", equalTo(false))
                .body("budget_remaining_bytes", equalTo(1000)).body("monthly_bytes", equalTo(1000));
        String cleared = store.read(h -> h.one("SELECT usage_cleared_at FROM traffic_quotas WHERE user_id = 'vic3' AND client_id = ?",
                rs -> rs.getString(1), client)).orElseThrow();
        Instant counted = Instant.parse(cleared).truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        operator().get(path + "/status").then().body("used_bytes", equalTo(0)).body("bytes_in", equalTo(0))
                .body("period_start", equalTo(Timestamps.format(QuotaService.periodStart(LocalDate.now(ZoneOffset.UTC), 1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant())))
                .body("usage_counted_from", equalTo(Timestamps.format(counted)));

        // Traffic after the clear counts from the next full hour on (the hour of the clear is forgiven).
        sample("vic3", "traffic_samples_1m", counted.minus(1, ChronoUnit.MINUTES), 1, 1); // the clearing hour's last minute
        operator().get(path + "/status").then().body("used_bytes", equalTo(0));
        if (counted.isBefore(QuotaService.periodStart(LocalDate.now(ZoneOffset.UTC), 1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
            sample("vic3", "traffic_samples_1m", counted, 30, 20);
            operator().get(path + "/status").then().body("used_bytes", equalTo(50));
            operator().get("/v1/users/vic3/quotas").then().body("[0].current_period_bytes_used", equalTo(50));
        }
        // Editing the quota keeps the clear; a false clear changes nothing.
        operator().body(Map.of("clear_period_usage", false, "action", "notify")).patch(path).then().statusCode(200)
                .body("action", equalTo("notify"));
        assertEquals(cleared, store.read(h -> h.one("SELECT usage_cleared_at FROM traffic_quotas WHERE user_id = 'vic3' AND client_id = ?",
                rs -> rs.getString(1), client)).orElseThrow());
        operator().body(Map.of("clear_period_usage", "yes")).patch(path).then().statusCode(422);
        operator().body(Map.of("clear_period_usage", true)).patch("/v1/users/vic3/quotas/NOPE").then().statusCode(404);
    }

    @Test
    void theCountingStartIsTheHourAfterAClearInsideThePeriod() {
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        Instant end = Instant.parse("2026-04-01T00:00:00Z");
        assertEquals(start, QuotaService.countingStart(start, end, null));
        assertEquals(start, QuotaService.countingStart(start, end, "2026-02-27T10:15:00.000Z"), "a clear in an earlier period");
        assertEquals(Instant.parse("2026-03-05T11:00:00Z"), QuotaService.countingStart(start, end, "2026-03-05T10:00:00.001Z"));
        assertEquals(Instant.parse("2026-03-05T10:00:00Z"), QuotaService.countingStart(start, end, "2026-03-05T10:00:00.000Z"));
        assertEquals(end, QuotaService.countingStart(start, end, "2026-03-31T23:30:00.000Z"));
    }

    private void sample(String user, String table, Instant bucket, long in, long out) {
        store.write(h -> h.update("INSERT INTO " + table + " (user_id, client_id, bucket_start, bytes_in, bytes_out) VALUES (?, ?, ?, ?, ?)",
                user, client, Timestamps.format(bucket), in, out));
    }
}
