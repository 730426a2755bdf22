package dev.portunus.traffic;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.clients.ClientEndpoint;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.Rows;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/metrics} and the traffic series (06-traffic.md §4, §6 "/v1/metrics"): the same text
 * as the scrape endpoint for a superadmin only, an unlabelled connected count, and per-rule series
 * that follow the reports and go with their rule or a silent client.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class TrafficMetricsTest {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    ClientEndpoint endpoint;

    @Inject
    TrafficMetrics metrics;

    @Inject
    Store store;

    @Inject
    ReportService reports;

    @BeforeEach
    void users() {
        Api.superadminExists();
        Api.user("alice", "user");
        Api.user("bob", "user");
    }

    String v1Metrics() {
        metrics.flush(); // the series follow a report on a thread of their own
        return Api.operator().get("/v1/metrics").then().statusCode(200).extract().asString();
    }

    /** The metric families ({@code # TYPE} lines) of a Prometheus text. */
    static Set<String> families(String text) {
        Set<String> out = new TreeSet<>();
        text.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> out.add(l.split(" ")[2]));
        return out;
    }

    /** The value of the one series of {@code name} whose labels contain every {@code label}, null when none. */
    static Double value(String text, String name, String... labels) {
        List<String> lines = text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains)).toList();
        assertTrue(lines.size() <= 1, lines.toString());
        return lines.isEmpty() ? null : Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
    }

    @Test
    void v1MetricsIsTheScrapeTextForASuperadminWhateverItAccepts() {
        v1Metrics();
        Response r = Api.operator().accept("application/json").get("/v1/metrics");
        r.then().statusCode(200).header("Content-Type", PROMETHEUS_TEXT).header("Cache-Control", "no-store");
        String body = r.asString();
        assertTrue(body.contains("# TYPE portunus_clients_connected gauge"), body);
        assertTrue(Pattern.compile("(?m)^portunus_clients_connected [0-9.eE+-]+$").matcher(body).find(),
                "portunus_clients_connected carries no labels:\n" + body);
        assertTrue(families(body).containsAll(List.of("portunus_traffic_reports_total", "portunus_traffic_rollup_last_success_timestamp_seconds",
                "portunus_traffic_samples_pruned_total", "portunus_store_busy_total")), families(body).toString());
        // The same families as the scrape endpoint (polled: a family may first appear between the two reads).
        Eventually.within(5000, "/v1/metrics and /q/metrics list the same families", () -> {
            String scrape = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
            return families(scrape).equals(families(v1Metrics()));
        });

        String alice = Api.mint("alice");
        Api.bearer(alice).get("/v1/metrics").then().statusCode(403).body("error.code", equalTo("forbidden"));
        Eventually.within(5000, "the denial is audited", () -> Rows.count(store,
                "SELECT count(*) FROM audit WHERE path = '/v1/metrics' AND outcome = 'deny' AND actor = 'alice'") == 1);
        assertEquals(0L, Rows.count(store, "SELECT count(*) FROM audit WHERE path = '/v1/metrics' AND outcome = 'allow'"));
    }

    @Test
    void everyReportAnsweredIsTimedFromItsRequestToItsAnswer() {
        Reporter c = Reporter.enroll("edge-timed", endpoint.port());
        String rule = c.rule("alice", 3003);
        String text = v1Metrics();
        double count = value(text, "portunus_traffic_report_duration_seconds_count");
        double sum = value(text, "portunus_traffic_report_duration_seconds_sum");
        c.send(Reporter.body("boot-timed-1", 1, List.of(Reporter.entry(rule, 1, 2, null))));
        c.send("{"); // refused (400): timed as well
        Eventually.within(5000, "both answers are timed", () ->
                value(v1Metrics(), "portunus_traffic_report_duration_seconds_count") == count + 2);
        assertTrue(value(v1Metrics(), "portunus_traffic_report_duration_seconds_sum") > sum);
    }

    @Test
    void reportsFeedThePerRuleSeriesUntilTheRuleGoesOrItsClientFallsSilent() {
        Reporter c = Reporter.enroll("edge-metrics", endpoint.port());
        String r1 = c.rule("alice", 3001);
        String r2 = c.rule("bob", 3002);
        double acceptedBefore = value(v1Metrics(), "portunus_traffic_reports_total", "result=\"accepted\"");
        c.send(Reporter.body("boot-metrics-1", 1, List.of(Reporter.entry(r1, 100, 200, 3), Reporter.entry(r2, 10, 20, 1))));
        String text = v1Metrics();
        String[] s1 = {"client=\"" + c.clientId + "\"", "rule=\"" + r1 + "\"", "owner=\"alice\""};
        String[] s2 = {"rule=\"" + r2 + "\"", "owner=\"bob\""};
        assertEquals(100.0, value(text, "portunus_rule_bytes_in_total", s1), text);
        assertEquals(200.0, value(text, "portunus_rule_bytes_out_total", s1));
        assertEquals(3.0, value(text, "portunus_rule_active_connections", s1));
        assertEquals(1.0, value(text, "portunus_rule_active_connections", s2));
        assertEquals(acceptedBefore + 1, value(text, "portunus_traffic_reports_total", "result=\"accepted\""));
        Eventually.within(8000, "the reporting client counts as connected", () -> value(v1Metrics(), "portunus_clients_connected") >= 1);

        // The next report, 100 s later, lists r1 only (a client may split its rules over reports): r2's
        // gauge stays until no report has carried it for two minutes; r1's follows the report.
        Instant first = Instant.now();
        reports.useClock(InstantSource.fixed(first.plusSeconds(100)));
        try {
            c.send(Reporter.body("boot-metrics-1", 2, List.of(Reporter.entry(r1, 150, 200, 2))));
            c.send(Reporter.body("boot-metrics-1", 2, List.of(Reporter.entry(r1, 150, 200, 2)))); // a duplicate
        } finally {
            reports.useClock(InstantSource.system());
        }
        text = v1Metrics();
        assertEquals(150.0, value(text, "portunus_rule_bytes_in_total", s1));
        assertEquals(2.0, value(text, "portunus_rule_active_connections", s1));
        assertEquals(1.0, value(text, "portunus_rule_active_connections", s2));
        assertTrue(value(text, "portunus_traffic_reports_total", "result=\"duplicate\"") >= 1);
        metrics.sweep(first.plusSeconds(TrafficMetrics.SILENT_SECS + 30));
        text = v1Metrics();
        assertNull(value(text, "portunus_rule_active_connections", s2), "not reported for over two minutes");
        assertEquals(2.0, value(text, "portunus_rule_active_connections", s1));
        assertEquals(10.0, value(text, "portunus_rule_bytes_in_total", s2), "counters stay while the rule exists");

        // A deleted rule loses its series at the next sweep.
        Api.operator().delete("/v1/rules/" + r1).then().statusCode(204);
        metrics.sweep(Instant.now());
        text = v1Metrics();
        assertNull(value(text, "portunus_rule_bytes_in_total", s1));
        assertNull(value(text, "portunus_rule_active_connections", s1));
        assertEquals(10.0, value(text, "portunus_rule_bytes_in_total", s2));

        // A client silent for two minutes loses its gauges (its counters stay).
        c.send(Reporter.body("boot-metrics-1", 3, List.of(Reporter.entry(r2, 10, 20, 5))));
        metrics.sweep(Instant.now().plusSeconds(60));
        assertEquals(5.0, value(v1Metrics(), "portunus_rule_active_connections", s2));
        metrics.sweep(Instant.now().plusSeconds(TrafficMetrics.SILENT_SECS + 1));
        text = v1Metrics();
        assertNull(value(text, "portunus_rule_active_connections", s2));
        assertEquals(10.0, value(text, "portunus_rule_bytes_in_total", s2));

        double rejected = value(text, "portunus_traffic_reports_total", "result=\"rejected\"");
        c.send("{");
        assertEquals(rejected + 1, value(v1Metrics(), "portunus_traffic_reports_total", "result=\"rejected\""));
    }
}
