package dev.portunus.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.clients.ClientEndpoint;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Api;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.RawHttp;
import dev.portunus.testing.Rows;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/client/traffic} on the client listener (06-traffic.md §2.2, §6 "Reports"): exactly
 * once per (boot, seq), boots and stale boots, counter resets, foreign rules, a retry after a store
 * failure, the body's codes, the rate limit, the answer's quotas, audit and skew logging.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class TrafficReportTest {

    /** The receipt time reports are pinned to: a few seconds into a recent minute. */
    static final Instant T = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES).plusSeconds(10);
    static final String MINUTE = Timestamps.format(T.truncatedTo(ChronoUnit.MINUTES));

    @Inject
    Store store;

    @Inject
    ClientEndpoint endpoint;

    @Inject
    ReportService reports;

    @Inject
    TrafficMetrics metrics;

    @BeforeEach
    void setUp() {
        Api.superadminExists();
        Api.user("alice", "user");
        Api.user("bob", "user");
        reports.useClock(InstantSource.fixed(T));
    }

    @AfterEach
    void tearDown() {
        reports.useClock(InstantSource.system());
    }

    Reporter client(String name) {
        return Reporter.enroll(name, endpoint.port());
    }

    /** {bytes_in, bytes_out} of the minute row of (user, client) at {@link #MINUTE}, null when absent. */
    long[] row(String user, String client) {
        return store.read(h -> h.one("SELECT bytes_in, bytes_out FROM traffic_samples_1m WHERE user_id = ? AND client_id = ? "
                + "AND bucket_start = ?", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, user, client, MINUTE)).orElse(null);
    }

    static JsonNode ok(RawHttp.Reply r, String result) {
        assertEquals(200, r.status(), r.toString());
        assertEquals(result, r.json().get("result").asText(), r.toString());
        return r.json();
    }

    static void refused(RawHttp.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(code, r.code(), r.toString());
    }

    @Test
    void eachReportCountsOnceAcrossRetriesBootsAndCounterResets() {
        Reporter c = client("edge-once");
        String rule = c.rule("alice", 2001);

        // seq 1 and 2 of one boot: one minute row holding the delta (the first report counts from 0).
        ok(c.report("boot-one-1", 1, rule, 100, 1000), "accepted");
        ok(c.report("boot-one-1", 2, rule, 150, 1500), "accepted");
        assertEquals(List.of(150L, 1500L), List.of(row("alice", c.clientId)[0], row("alice", c.clientId)[1]));
        assertEquals(1L, Rows.count(store, "SELECT count(*) FROM traffic_samples_1m WHERE client_id = ?", c.clientId));

        // The same seq again (a retry whose answer was lost) and an older one: nothing applied.
        JsonNode dup = ok(c.report("boot-one-1", 2, rule, 150, 1500), "duplicate");
        assertEquals(0, dup.get("ignored_rule_ids").size());
        ok(c.report("boot-one-1", 1, rule, 999, 999), "duplicate");
        assertEquals(150L, row("alice", c.clientId)[0]);

        // A new boot: baselines restart at 0, so its small counters count in full.
        ok(c.report("boot-two-2", 1, rule, 10, 20), "accepted");
        assertEquals(160L, row("alice", c.clientId)[0]);
        assertEquals(1520L, row("alice", c.clientId)[1]);

        // A delayed report of the previous boot would look like a reset: refused.
        refused(c.report("boot-one-1", 3, rule, 999, 999), 409, "stale_boot");
        assertEquals(160L, row("alice", c.clientId)[0]);

        // A counter below its baseline within a boot was reset: its whole value counts.
        ok(c.report("boot-two-2", 2, rule, 5, 7), "accepted");
        assertEquals(165L, row("alice", c.clientId)[0]);
        assertEquals(1527L, row("alice", c.clientId)[1]);
        // Unchanged counters add nothing.
        ok(c.report("boot-two-2", 3, rule, 5, 7), "accepted");
        assertEquals(165L, row("alice", c.clientId)[0]);

        assertEquals(1L, Rows.count(store, "SELECT count(*) FROM traffic_report_state WHERE client_id = ? AND boot_id = 'boot-two-2' "
                + "AND prev_boot_id = 'boot-one-1' AND last_seq = 3", c.clientId));
        assertEquals(1L, Rows.count(store, "SELECT count(*) FROM traffic_counters WHERE client_id = ? AND rule_id = ? "
                + "AND bytes_in = 5 AND bytes_out = 7", c.clientId, rule));

        // Refused reports are audited, applied and duplicate ones are not (06-traffic.md §2.2).
        Eventually.within(5000, "the 409 reaches the audit log", () -> Rows.count(store, "SELECT count(*) FROM audit WHERE "
                + "path = '/v1/client/traffic' AND outcome = 'deny' AND reason = 'stale_boot'") == 1);
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM audit WHERE path = '/v1/client/traffic' AND outcome = 'allow'"));
    }

    @Test
    void rulesOfOtherClientsOrUnknownAreIgnoredAndOwnersComeFromTheStore() {
        Reporter a = client("edge-ign-a");
        Reporter b = client("edge-ign-b");
        String alices = a.rule("alice", 2101);
        String bobsOnA = a.rule("bob", 2102);
        String onB = b.rule("bob", 2103);
        JsonNode answer = ok(a.report("boot-ign-1", 1, alices, 10, 20, onB, 1000, 1000, "01NOPE", 5, 5, bobsOnA, 1, 2),
                "accepted");
        assertEquals(List.of(onB, "01NOPE"), strings(answer.get("ignored_rule_ids")));
        assertEquals(10L, row("alice", a.clientId)[0]);
        assertEquals(2L, row("bob", a.clientId)[1]);
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM traffic_samples_1m WHERE client_id = ?", b.clientId));
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM traffic_counters WHERE rule_id = ?", onB));
    }

    @Test
    void aReportRetriedAfterAStoreFailureCountsOnce() {
        Reporter c = client("edge-fail");
        String rule = c.rule("alice", 2201);
        // The sample insert fails mid-transaction: the report state and baselines written before it roll back too.
        store.write(h -> h.update("CREATE TRIGGER fail_traffic_sample BEFORE INSERT ON traffic_samples_1m "
                + "WHEN new.client_id = '" + c.clientId + "' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
        try {
            refused(c.report("boot-fail-1", 1, rule, 100, 200), 503, "store_unavailable");
        } finally {
            store.write(h -> h.update("DROP TRIGGER IF EXISTS fail_traffic_sample"));
        }
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM traffic_report_state WHERE client_id = ?", c.clientId));
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM traffic_counters WHERE client_id = ?", c.clientId));
        assertNull(row("alice", c.clientId));

        ok(c.report("boot-fail-1", 1, rule, 100, 200), "accepted");
        ok(c.report("boot-fail-1", 1, rule, 100, 200), "duplicate");
        assertEquals(100L, row("alice", c.clientId)[0]);
        assertEquals(200L, row("alice", c.clientId)[1]);
    }

    @Test
    void theBodyIsStrictWithTheContractsCodes() {
        Reporter c = client("edge-codes");
        String rule = c.rule("alice", 2301);
        String entry = "{\"rule_id\":\"" + rule + "\",\"bytes_in\":1,\"bytes_out\":1}";
        refused(c.send("{\"boot_id\":\"short\",\"seq\":1,\"rules\":[]}"), 422, "invalid_boot_id");
        refused(c.send("{\"boot_id\":\"has space 123\",\"seq\":1,\"rules\":[]}"), 422, "invalid_boot_id");
        refused(c.send("{\"seq\":1,\"rules\":[]}"), 422, "invalid_boot_id");
        refused(c.send("{\"boot_id\":12345678,\"seq\":1,\"rules\":[]}"), 422, "invalid_type");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":0,\"rules\":[]}"), 422, "invalid_seq");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1.5,\"rules\":[]}"), 422, "invalid_seq");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"rules\":[]}"), 422, "invalid_seq");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":\"1\",\"rules\":[]}"), 422, "invalid_type");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"sent_at\":\"yesterday\",\"rules\":[]}"), 422, "invalid_timestamp");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1}"), 422, "missing_field");
        refused(c.send(counter("-1")), 422, "invalid_counter");
        refused(c.send(counter("1.5")), 422, "invalid_counter");
        refused(c.send(counter("9223372036854775808")), 422, "invalid_counter");
        refused(c.send(counter("\"5\"")), 422, "invalid_type");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[{\"rule_id\":\"x\",\"bytes_in\":1,\"bytes_out\":1,"
                + "\"active_connections\":2147483648}]}"), 422, "invalid_counter");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[{\"rule_id\":\"\",\"bytes_in\":1,\"bytes_out\":1}]}"),
                422, "invalid_rule_id");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[{\"rule_id\":7,\"bytes_in\":1,\"bytes_out\":1}]}"),
                422, "invalid_type");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":{}}"), 422, "invalid_type");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[{\"rule_id\":\"" + "r".repeat(65)
                + "\",\"bytes_in\":1,\"bytes_out\":1}]}"), 422, "invalid_rule_id");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[" + entry + "," + entry + "]}"), 422, "duplicate_rule_id");
        StringBuilder many = new StringBuilder("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[");
        for (int i = 0; i <= ReportValidator.MAX_RULES; i++) {
            many.append(i == 0 ? "" : ",").append("{\"rule_id\":\"r").append(i).append("\",\"bytes_in\":1,\"bytes_out\":1}");
        }
        refused(c.send(many.append("]}").toString()), 422, "too_many_rules");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[],\"extra\":1}"), 422, "unknown_field");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[{\"rule_id\":\"x\",\"bytes_in\":1,\"bytes_out\":1,"
                + "\"bytes\":3}]}"), 422, "unknown_field");
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"seq\":2,\"rules\":[]}"), 422, "duplicate_field");
        refused(c.send("{\"boot_id\":"), 400, "malformed_json");
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM traffic_report_state WHERE client_id = ?", c.clientId),
                "nothing refused was applied");

        refused(c.sendAs(null, "{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[]}"), 401, "unauthenticated");
        refused(c.sendAs("not-a-token", "{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[]}"), 401, "unauthenticated");
        RawHttp listener = RawHttp.tls(endpoint.port());
        refused(listener.send("GET /v1/client/traffic HTTP/1.1\r\nHost: x\r\n\r\n"), 405, "method_not_allowed");
        refused(listener.send("POST /v1/client/traffic HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + c.token
                + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}"), 415, "unsupported_media_type");

        // An empty report is a heartbeat; it marks the client connected (received now, not at T).
        reports.useClock(InstantSource.system());
        JsonNode heartbeat = ok(c.send("{\"boot_id\":\"boot-codes\",\"seq\":1,\"sent_at\":\"" + Timestamps.format(T)
                + "\",\"rules\":[]}"), "accepted");
        assertEquals(0, heartbeat.get("ignored_rule_ids").size());
        Api.operator().get("/v1/clients/" + c.clientId).then().statusCode(200).body("connected", org.hamcrest.Matchers.equalTo(true));

        Api.operator().post("/v1/clients/" + c.clientId + "/revoke").then().statusCode(200);
        refused(c.send("{\"boot_id\":\"boot-codes\",\"seq\":2,\"rules\":[]}"), 401, "unauthenticated");
    }

    private static String counter(String value) {
        return "{\"boot_id\":\"boot-codes\",\"seq\":1,\"rules\":[{\"rule_id\":\"x\",\"bytes_in\":" + value + ",\"bytes_out\":1}]}";
    }

    @Test
    void moreThanFiveReportsASecondAreRefusedWithRetryAfter() throws Exception {
        Reporter c = client("edge-fast");
        String body = Reporter.body("boot-fast-1", 1, List.of());
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<RawHttp.Reply> replies = new ArrayList<>();
        try {
            // Sent 12 together; on a machine so loaded that they spread over more than a second
            // (each is a TLS handshake), the next 12 go: a limiter that never refuses fails after 10,
            // and one that admits more than five a second fails the count below.
            long t0 = System.nanoTime();
            for (int round = 0; round < 10 && replies.stream().noneMatch(r -> r.status() == 429); round++) {
                List<Future<RawHttp.Reply>> sent = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    sent.add(pool.submit(() -> RawHttp.tls(endpoint.port()).send(RawHttp.post("/v1/client/traffic",
                            "Authorization: Bearer " + c.token + "\r\n", body))));
                }
                for (Future<RawHttp.Reply> f : sent) {
                    replies.add(f.get());
                }
            }
            // Every report reached the server between t0 and now: at most five in each second of that.
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            long admitted = replies.stream().filter(r -> r.status() == 200).count();
            assertTrue(admitted <= 5 * (seconds + 1), admitted + " reports admitted in " + (seconds + 1) + " s or less");
        } finally {
            pool.shutdownNow();
        }
        List<RawHttp.Reply> limited = replies.stream().filter(r -> r.status() == 429).toList();
        assertFalse(limited.isEmpty(), replies.toString());
        assertTrue(replies.stream().allMatch(r -> r.status() == 200 || r.status() == 429), replies.toString());
        assertEquals("rate_limited", limited.get(0).code());
        assertEquals("1", limited.get(0).header("Retry-After"));
        Eventually.within(5000, "a rate-limited report is audited", () -> Rows.count(store, "SELECT count(*) FROM audit WHERE "
                + "path = '/v1/client/traffic' AND outcome = 'deny' AND reason = 'rate_limited'") >= 1);
    }

    @Test
    void theLimiterAdmitsFiveInAnySecond() {
        ReportLimiter limiter = new ReportLimiter(5, Duration.ofSeconds(1));
        long t = 1_000_000_000L;
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.admit("c", t + i));
        }
        assertFalse(limiter.admit("c", t + 500_000_000L));
        assertTrue(limiter.admit("other", t + 500_000_000L), "per client");
        assertTrue(limiter.admit("c", t + 1_000_000_000L), "the first left the window");
        assertFalse(limiter.admit("c", t + 1_000_000_000L), "the second is still in it");
    }

    @Test
    void theAnswerCarriesTheClientsQuotasComputedAfterTheCommit() {
        Reporter c = client("edge-quota");
        String rule = c.rule("alice", 2401);
        Api.operator().body(Map.of("monthly_bytes", 1000)).put("/v1/users/alice/quotas/" + c.clientId).then().statusCode(200);
        JsonNode answer = ok(c.report("boot-quota-1", 1, rule, 300, 200), "accepted");
        assertEquals(Timestamps.format(T), answer.get("server_time").asText());
        assertEquals(15, answer.get("report_interval_secs").asInt());
        assertEquals(List.of("result", "server_time", "report_interval_secs", "ignored_rule_ids", "quotas"), fieldNames(answer));
        JsonNode q = answer.get("quotas").get(0);
        assertEquals(1, answer.get("quotas").size());
        Map<String, Object> status = Api.operator().get("/v1/users/alice/quotas/" + c.clientId + "/status").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        assertEquals("alice", q.get("user_id").asText());
        assertEquals(1000, q.get("monthly_bytes").asLong());
        assertEquals(500, q.get("used_bytes").asLong());
        assertEquals(((Number) status.get("used_bytes")).longValue(), q.get("used_bytes").asLong());
        assertEquals(500, q.get("remaining_bytes").asLong());
        assertFalse(q.get("exceeded").asBoolean());
        assertEquals("block", q.get("action").asText());
        assertEquals(status.get("period_end"), q.get("period_end").asText());

        JsonNode over = ok(c.report("boot-quota-1", 2, rule, 900, 200), "accepted");
        assertTrue(over.get("quotas").get(0).get("exceeded").asBoolean(), over.toString());
        assertEquals(0, over.get("quotas").get(0).get("remaining_bytes").asLong());
    }

    @Test
    void aSkewedClientClockIsLoggedAtMostOnceAnHour() {
        Reporter c = client("edge-skew");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String sentAt = Timestamps.format(T.minusSeconds(600));
            for (int seq = 1; seq <= 2; seq++) {
                ok(c.send("{\"boot_id\":\"boot-skew-1\",\"seq\":" + seq + ",\"sent_at\":\"" + sentAt + "\",\"rules\":[]}"),
                        "accepted");
            }
        } finally {
            System.setErr(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("event=traffic.client_clock_skew"))
                .toList();
        assertEquals(1, lines.size(), captured.toString(StandardCharsets.UTF_8));
        assertTrue(lines.get(0).contains("client_id=" + c.clientId) && lines.get(0).contains("skew_secs=-600"), lines.get(0));
    }

    @Test
    void ruleStatsShowTheCurrentBootsCountersToTheOwnerOnly() {
        Reporter c = client("edge-stats");
        String rule = c.rule("alice", 2501);
        Api.operator().get("/v1/rules/" + rule + "/stats").then().statusCode(200)
                .body("bytes_in", org.hamcrest.Matchers.equalTo(0)).body("updated_at", org.hamcrest.Matchers.nullValue());
        c.send(Reporter.body("boot-stats-1", 1, List.of(Reporter.entry(rule, 1234, 5678, 3))));
        metrics.flush();
        String alice = Api.mint("alice");
        Map<String, Object> stats = Api.bearer(alice).get("/v1/rules/" + rule + "/stats").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath().getMap("$");
        assertEquals(rule, stats.get("rule_id"));
        assertEquals("edge-stats", stats.get("client_name"));
        assertEquals(1234, stats.get("bytes_in"));
        assertEquals(5678, stats.get("bytes_out"));
        assertEquals(3, stats.get("active_connections"));
        assertEquals(0, stats.get("dns_failures"));
        assertEquals("tcp", stats.get("protocol"));
        assertNotNull(stats.get("updated_at"));
        Api.bearer(Api.mint("bob")).get("/v1/rules/" + rule + "/stats").then().statusCode(404).body("error.code",
                org.hamcrest.Matchers.equalTo("not_found"));
        Api.operator().get("/v1/rules/01NOPE/stats").then().statusCode(404);
        Api.operator().queryParam("per_target", "true").get("/v1/rules/" + rule + "/stats").then().statusCode(200)
                .body("bytes_in", org.hamcrest.Matchers.equalTo(1234));

        // The stream: the same snapshot as Server-Sent Events, a bounded number of frames (3 in tests).
        String stream = Api.bearer(alice).accept("text/event-stream").get("/v1/rules/" + rule + "/stats/stream").then()
                .statusCode(200).extract().asString();
        long frames = stream.lines().filter(l -> l.equals("event: stats") || l.equals("event:stats")).count();
        assertEquals(3, frames, stream);
        assertTrue(stream.contains("\"rule_id\":\"" + rule + "\"") && stream.contains("\"bytes_in\":1234"), stream);
        Api.bearer(Api.mint("bob")).accept("text/event-stream").get("/v1/rules/" + rule + "/stats/stream").then().statusCode(404);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
