package dev.portunus.traffic;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.Rows;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hourly rollup and retention (06-traffic.md §2.3, §2.4, §6 "1h / rollup / quota"): hourly reads
 * include the hours not rolled yet, a rerun changes nothing, retention never drops a minute that is
 * not rolled up, and a quota's usage is the same before and after a rollup. Each test starts from
 * empty traffic tables and runs the job by hand at the time it chooses.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class TrafficRollupTest {

    @Inject
    Store store;

    @Inject
    TrafficRollup rollup;

    static String edge;
    static String other;

    @BeforeEach
    void emptyTrafficTables() {
        Api.superadminExists();
        Api.user("alice", "user");
        Api.user("bob", "user");
        if (edge == null) {
            edge = ClientFixtures.client("edge-rollup");
            other = ClientFixtures.client("edge-rollup-2");
        }
        store.write(h -> h.update("DELETE FROM traffic_samples_1m") + h.update("DELETE FROM traffic_samples_1h")
                + h.update("DELETE FROM traffic_rollup_state"));
    }

    void minute(String user, String client, Instant at, long in, long out) {
        insert("traffic_samples_1m", user, client, at.truncatedTo(ChronoUnit.MINUTES), in, out);
    }

    void insert(String table, String user, String client, Instant bucket, long in, long out) {
        store.write(h -> h.update("INSERT INTO " + table + " (user_id, client_id, bucket_start, bytes_in, bytes_out) "
                + "VALUES (?, ?, ?, ?, ?)", user, client, Timestamps.format(bucket), in, out));
    }

    Optional<String> watermark() {
        return store.read(h -> h.one("SELECT last_rolled_hour FROM traffic_rollup_state", rs -> rs.getString(1)));
    }

    List<String> hourRows() {
        return store.read(h -> h.query("SELECT user_id || ' ' || client_id || ' ' || bucket_start || ' ' || bytes_in || ' ' "
                + "|| bytes_out FROM traffic_samples_1h ORDER BY 1", rs -> rs.getString(1)));
    }

    static Response hourly(long from, long to) {
        return Api.operator().queryParam("from", from).queryParam("to", to).queryParam("bucket", "1h").get("/v1/traffic/global");
    }

    static List<List<Long>> samples(Response r) {
        r.then().statusCode(200);
        List<Map<String, Number>> got = r.jsonPath().getList("samples");
        return got.stream().map(s -> List.of(s.get("ts").longValue(), s.get("bytes_in").longValue(), s.get("bytes_out").longValue()))
                .toList();
    }

    @Test
    void anHourlyReadIncludesHoursNotRolledYetAndARerunChangesNothing() {
        Instant now = Instant.now();
        Instant h0 = now.truncatedTo(ChronoUnit.HOURS);
        long s0 = h0.getEpochSecond();
        minute("alice", edge, h0.minusSeconds(3 * 3600).plusSeconds(300), 3, 30);
        minute("alice", edge, h0.minusSeconds(3600).plusSeconds(1800), 20, 200);
        minute("bob", other, h0.minusSeconds(3600).plusSeconds(1860), 5, 50);
        minute("alice", edge, h0, 100, 1000); // the current hour
        List<List<Long>> expected = List.of(List.of(s0 - 3 * 3600, 3L, 30L), List.of(s0 - 3600, 25L, 250L), List.of(s0, 100L, 1000L));

        assertEquals(expected, samples(hourly(s0 - 5 * 3600, s0 + 3600)), "never rolled: every hour from its minutes");
        rollup.run(now);
        assertEquals(Optional.of(Timestamps.format(h0.minusSeconds(3600))), watermark());
        List<String> rolled = hourRows();
        assertEquals(List.of("alice " + edge + " " + Timestamps.format(h0.minusSeconds(3 * 3600)) + " 3 30",
                "alice " + edge + " " + Timestamps.format(h0.minusSeconds(3600)) + " 20 200",
                "bob " + other + " " + Timestamps.format(h0.minusSeconds(3600)) + " 5 50"), rolled, "closed hours only");
        assertEquals(expected, samples(hourly(s0 - 5 * 3600, s0 + 3600)), "rolled hours from the 1h table, the current one from minutes");
        hourly(s0 - 5 * 3600, s0 + 3600).then().body("total_bytes_in", equalTo(128)).body("total_bytes_out", equalTo(1280));

        rollup.run(now);
        assertEquals(rolled, hourRows(), "a rerun sets the same sums");

        // A minute that straggles into the last closed hour after its rollup is picked up by the next run.
        minute("alice", edge, h0.minusSeconds(60), 1, 1);
        rollup.run(now);
        assertEquals("alice " + edge + " " + Timestamps.format(h0.minusSeconds(3600)) + " 21 201", hourRows().get(1));
        assertEquals(Optional.of(Timestamps.format(h0.minusSeconds(3600))), watermark());
    }

    @Test
    void retentionNeverDropsMinutesThatAreNotRolledUp() {
        Instant now = Instant.now();
        Instant rolledHour = now.minus(9, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        store.write(h -> h.update("INSERT INTO traffic_rollup_state (id, last_rolled_hour) VALUES (1, ?)", Timestamps.format(rolledHour)));
        Instant rolledAndOld = rolledHour.plusSeconds(600);
        Instant notRolledButOld = now.minus(8, ChronoUnit.DAYS).minus(12, ChronoUnit.HOURS);
        Instant recent = now.minus(1, ChronoUnit.DAYS);
        minute("alice", edge, rolledAndOld, 1, 1);
        minute("alice", edge, notRolledButOld, 2, 2);
        minute("alice", edge, recent, 3, 3);
        insert("traffic_samples_1h", "alice", edge, now.minus(91, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS), 4, 4);
        insert("traffic_samples_1h", "alice", edge, now.minus(89, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS), 5, 5);

        long[] pruned = rollup.prune(now);
        assertEquals(1, pruned[0]);
        assertEquals(1, pruned[1]);
        assertEquals(List.of(2L, 3L), store.read(h -> h.query("SELECT bytes_in FROM traffic_samples_1m ORDER BY bucket_start",
                rs -> rs.getLong(1))), "only the rolled-up old minute went");
        assertEquals(List.of(5L), store.read(h -> h.query("SELECT bytes_in FROM traffic_samples_1h", rs -> rs.getLong(1))));

        // The whole job rolls the old minute's hour first, then drops the minute.
        TrafficRollup.Result r = rollup.run(now);
        assertEquals(1, r.pruned1m());
        assertEquals(List.of(3L), store.read(h -> h.query("SELECT bytes_in FROM traffic_samples_1m", rs -> rs.getLong(1))));
        assertEquals(1L, Rows.count(store, "SELECT count(*) FROM traffic_samples_1h WHERE bucket_start = ? AND bytes_in = 2",
                Timestamps.format(notRolledButOld.truncatedTo(ChronoUnit.HOURS))));
    }

    @Test
    void retentionDeletesInChunks() {
        Instant now = Instant.now();
        Instant base = now.minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        store.write(h -> h.update("INSERT INTO traffic_rollup_state (id, last_rolled_hour) VALUES (1, ?)",
                Timestamps.format(now.minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS))));
        int n = TrafficRepository.PRUNE_CHUNK * 2 + 7; // four pairs, about 1.7 days of minutes from 10 days back
        store.write(h -> h.update("WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < " + (n - 1) + ") "
                + "INSERT INTO traffic_samples_1m (user_id, client_id, bucket_start, bytes_in, bytes_out) "
                + "SELECT CASE i % 2 WHEN 0 THEN 'alice' ELSE 'bob' END, CASE (i / 2) % 2 WHEN 0 THEN ?1 ELSE ?2 END, "
                + "strftime('%Y-%m-%dT%H:%M:00.000Z', ?3, '+' || (i / 4) || ' minutes'), 1, 1 FROM k", edge, other,
                Timestamps.format(base)));
        assertEquals(n, Rows.count(store, "SELECT count(*) FROM traffic_samples_1m"));
        assertEquals(n, rollup.prune(now)[0]);
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM traffic_samples_1m"));
    }

    @Test
    void aQuotasUsageIsTheSumOfThePeriodsSamplesBeforeAndAfterARollup() {
        Instant now = Instant.now();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        // A period that began at least two days ago, so that the samples below all lie inside it.
        int resetDay = today.getDayOfMonth() >= 3 ? Math.min(28, today.getDayOfMonth() - 2) : 28;
        String path = "/v1/users/alice/quotas/" + edge;
        Api.operator().body(Map.of("monthly_bytes", 1_000_000, "reset_day", resetDay)).put(path).then().statusCode(200);
        long in = 0;
        long out = 0;
        for (int i = 0; i < 30; i++) {
            long bytesIn = 1000 + i;
            long bytesOut = 10 * i;
            minute("alice", edge, now.minus(i * 47L, ChronoUnit.MINUTES), bytesIn, bytesOut); // every 47 min over ~23 h
            in += bytesIn;
            out += bytesOut;
        }
        minute("alice", other, now, 999, 999); // another client: not this quota's
        minute("bob", edge, now, 999, 999); // another user: not this quota's
        long used = in + out;
        Api.operator().get(path + "/status").then().statusCode(200).body("bytes_in", equalTo((int) in))
                .body("bytes_out", equalTo((int) out)).body("used_bytes", equalTo((int) used));
        rollup.run(now);
        assertTrue(watermark().isPresent());
        assertTrue(Rows.count(store, "SELECT count(*) FROM traffic_samples_1h") > 10, "most hours are rolled now");
        Api.operator().get(path + "/status").then().statusCode(200).body("bytes_in", equalTo((int) in))
                .body("bytes_out", equalTo((int) out)).body("used_bytes", equalTo((int) used));
        // The chart of the same pair agrees with the quota.
        long from = Instant.parse(Api.operator().get(path + "/status").then().extract().path("period_start")).getEpochSecond();
        Api.operator().queryParam("from", from).queryParam("to", now.getEpochSecond() + 3600).queryParam("bucket", "1h")
                .queryParam("client_id", edge).get("/v1/users/alice/traffic").then().statusCode(200)
                .body("total_bytes_in", equalTo((int) in)).body("total_bytes_out", equalTo((int) out));
    }

    @Test
    void anUntouchedStoreStaysWithoutWatermarkAndANeverRolledOneStartsAtItsOldestMinute() {
        Instant now = Instant.now();
        assertEquals(0, rollup.run(now).hours());
        assertEquals(Optional.empty(), watermark(), "nothing reported: no watermark row (import-legacy sees an empty store)");
        Instant oldest = now.minus(3, ChronoUnit.DAYS);
        minute("alice", edge, oldest, 7, 7);
        TrafficRollup.Result r = rollup.run(now);
        Instant lastClosed = now.truncatedTo(ChronoUnit.HOURS).minusSeconds(3600);
        assertEquals(ChronoUnit.HOURS.between(oldest.truncatedTo(ChronoUnit.HOURS), lastClosed) + 1, r.hours());
        assertEquals(Optional.of(Timestamps.format(lastClosed)), watermark());
        assertEquals(List.of("alice " + edge + " " + Timestamps.format(oldest.truncatedTo(ChronoUnit.HOURS)) + " 7 7"), hourRows());
        assertEquals(2, rollup.run(now).hours(), "afterwards each run redoes the last two closed hours");
    }

    @Test
    void aRunLogsItsEventAndSetsItsMetricsAndAFailureIsLogged() {
        Instant now = Instant.now();
        minute("alice", edge, now.minus(2, ChronoUnit.HOURS), 1, 1);
        String ok = stderrOf(() -> rollup.runLogged(now));
        assertTrue(ok.matches("(?s).*event=traffic\\.rollup hours=\\d+ pruned_1m=0 pruned_1h=0 ms=\\d+.*"), ok);
        String metrics = Api.operator().get("/v1/metrics").then().statusCode(200).extract().asString();
        double last = Double.parseDouble(metrics.lines().filter(l -> l.startsWith("portunus_traffic_rollup_last_success_timestamp_seconds "))
                .findFirst().orElseThrow().split(" ")[1]);
        assertTrue(last >= now.getEpochSecond() - 5, metrics);
        assertTrue(metrics.contains("portunus_traffic_samples_pruned_total{table=\"1m\""), metrics);

        store.write(h -> h.update("CREATE TRIGGER fail_rollup BEFORE INSERT ON traffic_samples_1h BEGIN SELECT RAISE(ABORT, 'injected'); END"));
        try {
            String failed = stderrOf(() -> rollup.runLogged(now));
            assertTrue(failed.contains("event=traffic.rollup_failed reason="), failed);
        } finally {
            store.write(h -> h.update("DROP TRIGGER IF EXISTS fail_rollup"));
        }
    }

    @Test
    void theJobRunsAtMinuteOneOfEachHour() {
        assertEquals(Instant.parse("2026-06-01T13:01:00Z"), TrafficJobs.nextRun(Instant.parse("2026-06-01T12:01:00Z")));
        assertEquals(Instant.parse("2026-06-01T12:01:00Z"), TrafficJobs.nextRun(Instant.parse("2026-06-01T12:00:59.999Z")));
        assertEquals(Instant.parse("2026-06-01T13:01:00Z"), TrafficJobs.nextRun(Instant.parse("2026-06-01T12:30:00Z")));
    }

    static String stderrOf(Runnable r) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
