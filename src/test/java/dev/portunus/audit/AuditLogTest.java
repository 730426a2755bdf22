package dev.portunus.audit;

import static dev.portunus.testing.Api.anonymous;
import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Api;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class AuditLogTest {

    @Inject
    Store store;

    @Inject
    AuditWriter writer;

    @BeforeEach
    void root() {
        Api.superadminExists();
        Api.user("mia", "user");
    }

    private long audited(String where, Object... args) {
        return store.read(h -> h.count("SELECT count(*) FROM audit WHERE " + where, args));
    }

    @Test
    void aMutatingRequestAndADeniedReadEachProduceOneEntryWithoutSecrets() {
        String token = mint("mia");
        bearer(token).header("X-Request-Id", "req-abc-1").body(Map.of("label", "one"))
                .post("/v1/users/mia/credentials?secret=query").then().statusCode(201);
        bearer(token).header("X-Request-Id", "req-abc-2").get("/v1/users?x=1").then().statusCode(403);
        anonymous().header("X-Request-Id", "req-abc-3").get("/v1/grants").then().statusCode(401);
        bearer(token).header("X-Request-Id", "req-abc-4").get("/v1/users/me").then().statusCode(200);
        Eventually.within(5000, "entries written", () -> audited("correlation_id LIKE 'req-abc-%'") == 3);
        assertEquals(1, audited("correlation_id = 'req-abc-1' AND path = '/v1/users/mia/credentials' AND actor = 'mia' "
                + "AND role = 'user' AND outcome = 'allow' AND reason IS NULL AND method = 'POST'"), this::dump);
        assertEquals(1, audited("correlation_id = 'req-abc-2' AND path = '/v1/users' AND method = 'GET' AND actor = 'mia' "
                + "AND outcome = 'deny' AND reason = 'forbidden'"), this::dump);
        assertEquals(1, audited("correlation_id = 'req-abc-3' AND path = '/v1/grants' AND actor = 'anonymous' AND role IS NULL "
                + "AND outcome = 'deny' AND reason = 'unauthenticated'"), this::dump);
        assertEquals(0, audited("correlation_id = 'req-abc-4'"), "allowed reads are not audited");
        String everything = store.read(h -> String.join("\n", h.query("SELECT ts||actor||coalesce(role,'')||method||path||outcome"
                + "||coalesce(reason,'')||coalesce(correlation_id,'')||coalesce(details_json,'') FROM audit", rs -> rs.getString(1))));
        assertFalse(everything.contains(token));
        assertFalse(everything.contains(TempStoreResource.OPERATOR_TOKEN));
        assertFalse(everything.contains(Api.PASSWORD));
        assertFalse(everything.contains("secret=query"));
    }

    @Test
    void theLegacyShapeIsAByteStableBareArrayNewestFirst() {
        Instant base = fabricate(3, "/v1/legacy/%d");
        store.write(h -> h.update("INSERT INTO audit (ts, actor, role, method, path, outcome, reason) VALUES "
                + "(?, 'anonymous', NULL, 'GET', '/v1/legacy/denied', 'deny', 'unauthenticated')", at(base, 9)));
        String body = operator().get("/v1/audit?limit=2&outcome=deny").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString();
        assertTrue(body.startsWith("[{\"timestamp\":\"" + at(base, 9) + "\",\"actor\":\"anonymous\",\"method\":\"GET\","
                + "\"path\":\"/v1/legacy/denied\",\"outcome\":\"deny\",\"reason\":\"unauthenticated\"}"), body);
        String allow = operator().get("/v1/audit?limit=1&outcome=allow").then().statusCode(200).extract().asString();
        // Fabricated rows are the newest "allow" ones only if nothing else was written after them.
        assertTrue(allow.startsWith("[{\"timestamp\":\""), allow);
        List<Map<String, Object>> all = JsonPath.from(operator().get("/v1/audit?limit=1000").asString()).getList("$");
        assertTrue(all.size() >= 4);
        assertEquals(List.of("timestamp", "actor", "role", "method", "path", "outcome"),
                new ArrayList<>(all.stream().filter(m -> "/v1/legacy/1".equals(m.get("path"))).findFirst().orElseThrow().keySet()));
        assertEquals(100, JsonPath.from(operator().get("/v1/audit").asString()).getList("$").size() <= 100 ? 100 : -1);
    }

    @Test
    void everyParameterErrorHasItsCode() {
        for (String bad : List.of("0", "1001", "abc", "-1", "1.5", "")) {
            operator().get("/v1/audit?limit=" + bad).then().statusCode(422).body("error.code", equalTo("invalid_limit"));
            operator().get("/v1/audit?since=2020-01-01T00:00:00Z&limit=" + bad).then().statusCode(422)
                    .body("error.code", equalTo("invalid_limit"));
        }
        operator().get("/v1/audit?outcome=maybe").then().statusCode(422).body("error.code", equalTo("invalid_outcome"));
        operator().get("/v1/audit?cursor=!!!").then().statusCode(400).body("error.code", equalTo("invalid_cursor"));
        operator().get("/v1/audit?cursor=" + b64("hello")).then().statusCode(400).body("error.code", equalTo("invalid_cursor"));
        operator().get("/v1/audit?cursor=" + b64("seq:-4")).then().statusCode(400).body("error.code", equalTo("invalid_cursor"));
        operator().get("/v1/audit?since=yesterday").then().statusCode(400).body("error.code", equalTo("invalid_timestamp"))
                .body("error.message", org.hamcrest.Matchers.containsString("since"));
        operator().get("/v1/audit?until=2020-13-01T00:00:00Z").then().statusCode(400)
                .body("error.code", equalTo("invalid_timestamp")).body("error.message", org.hamcrest.Matchers.containsString("until"));
        operator().get("/v1/audit?since=2021-01-01T00:00:00Z&until=2020-01-01T00:00:00Z").then().statusCode(400)
                .body("error.code", equalTo("invalid_time_range"));
    }

    @Test
    void theEnvelopeHonoursTheWindowAndOmitsNextCursorOnTheLastPage() {
        Instant base = fabricate(5, "/v1/window/%d");
        String window = "since=" + at(base, 1) + "&until=" + at(base, 4);
        String body = operator().get("/v1/audit?" + window + "&limit=2").then()
                .statusCode(200).header("Cache-Control", "no-store").extract().asString();
        JsonPath page = JsonPath.from(body);
        assertEquals(List.of("/v1/window/3", "/v1/window/2"), page.getList("entries.path"));
        assertEquals(2, page.getInt("count"));
        assertTrue(body.startsWith("{\"entries\":["), body);
        String next = page.getString("next_cursor");
        JsonPath last = JsonPath.from(operator().get("/v1/audit?" + window + "&limit=2&cursor=" + next).asString());
        assertEquals(List.of("/v1/window/1"), last.getList("entries.path"));
        assertNull(last.get("next_cursor"));
        assertFalse(operator().get("/v1/audit?" + window + "&limit=2&cursor=" + next)
                .asString().contains("next_cursor"));
    }

    @Test
    void aWindowWhoseStartIsPastTheNewestEntryIsEmptyAndOneWhoseEndIsPastItIsOpenAbove() {
        // Each end of a window is the first seq at or after its bound (AuditRepository.firstSeqAtOrAfter):
        // none for `since` must empty the page, none for `until` must not cut it.
        Instant base = fabricate(3, "/v1/edge/%d");
        JsonPath none = JsonPath.from(operator().get("/v1/audit?since=" + at(base, 100) + "&limit=5").asString());
        assertEquals(List.of(), none.getList("entries.path"));
        assertEquals(0, none.getInt("count"));
        assertNull(none.get("next_cursor"));
        JsonPath open = JsonPath.from(operator().get("/v1/audit?since=" + at(base, 1) + "&until=" + at(base, 100)
                + "&limit=5").asString());
        assertEquals(List.of("/v1/edge/2", "/v1/edge/1"), open.getList("entries.path"));
        JsonPath inner = JsonPath.from(operator().get("/v1/audit?since=" + at(base, 0.5) + "&until=" + at(base, 1.5)
                + "&limit=5").asString());
        assertEquals(List.of("/v1/edge/1"), inner.getList("entries.path"));
        JsonPath empty = JsonPath.from(operator().get("/v1/audit?since=" + at(base, 1) + "&until=" + at(base, 1)
                + "&limit=5").asString());
        assertEquals(List.of(), empty.getList("entries.path"));
    }

    @Test
    void aCursorStaysValidAfterPruneRemovedTheEntryItPointsAt() {
        Instant base = fabricate(6, "/v1/pruned/%d");
        String until = "until=" + at(base, 6);
        JsonPath first = JsonPath.from(operator().get("/v1/audit?" + until + "&limit=2").asString());
        assertEquals(List.of("/v1/pruned/5", "/v1/pruned/4"), first.getList("entries.path"));
        store.write(h -> h.update("DELETE FROM audit WHERE path IN ('/v1/pruned/4', '/v1/pruned/3')"));
        JsonPath second = JsonPath.from(operator().get("/v1/audit?" + until + "&limit=2&cursor="
                + first.getString("next_cursor")).asString());
        assertEquals(List.of("/v1/pruned/2", "/v1/pruned/1"), second.getList("entries.path"));
    }

    @Test
    void followingNextCursorWithLimit7VisitsEveryEntryOfTheWindowExactlyOnceWhileNewOnesArrive() throws Exception {
        Instant base = fabricate(1, "/v1/walk/0");
        store.write(h -> h.update("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
                + "INSERT INTO audit (ts, actor, role, method, path, outcome, reason) SELECT "
                + "strftime('%Y-%m-%dT%H:%M:%fZ', ?, '+' || (i / 1000.0) || ' seconds'), 'fab', 'user', 'POST', '/v1/walk/' || i, "
                + "CASE WHEN i % 3 = 0 THEN 'deny' ELSE 'allow' END, CASE WHEN i % 3 = 0 THEN 'forbidden' END FROM n",
                at(base, 0)));
        String since = at(base, 0.001);
        AtomicBoolean walking = new AtomicBoolean(true);
        AtomicInteger arrived = new AtomicInteger();
        Thread arrivals = new Thread(() -> {
            while (walking.get() && arrived.get() < 300) {
                int n = arrived.incrementAndGet();
                anonymous().post("/v1/grants"); // real denied requests, written by the audit writer
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        arrivals.start();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        try {
            do {
                String url = "/v1/audit?since=" + since + "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor);
                JsonPath page = JsonPath.from(operator().get(url).then().statusCode(200).extract().asString());
                List<String> paths = page.getList("entries.path");
                assertTrue(paths.size() <= 7);
                assertEquals(paths.size(), page.getInt("count"));
                seen.addAll(paths);
                cursor = page.getString("next_cursor");
                pages++;
            } while (cursor != null && pages < 5000);
        } finally {
            walking.set(false);
            arrivals.join();
        }
        assertTrue(arrived.get() > 10, "entries kept arriving during the walk: " + arrived.get());
        Set<String> unique = new HashSet<>(seen);
        assertEquals(seen.size(), unique.size(), "no entry twice");
        for (int i = 1; i <= 10000; i++) {
            assertTrue(unique.contains("/v1/walk/" + i), "missing /v1/walk/" + i);
        }
        List<String> walkOrder = seen.stream().filter(p -> p.startsWith("/v1/walk/")).toList();
        assertEquals("/v1/walk/10000", walkOrder.get(0));
        assertEquals("/v1/walk/1", walkOrder.get(walkOrder.size() - 1));
        // with outcome, the same walk yields only denials, each once
        List<String> denied = new ArrayList<>();
        cursor = null;
        pages = 0;
        do {
            JsonPath page = JsonPath.from(operator().get("/v1/audit?since=" + since + "&until=" + at(base, 10.001)
                    + "&outcome=deny&limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).asString());
            denied.addAll(page.<String>getList("entries.path").stream().filter(x -> x.startsWith("/v1/walk/")).toList());
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 2000);
        assertEquals(3333, denied.size());
        assertEquals(3333, new HashSet<>(denied).size());
    }

    /**
     * Inserts {@code n} "allow" entries one second apart, after every entry already there: the
     * writer keeps ts non-decreasing in seq order, and fabricated rows must too. Returns the ts of
     * entry 0; entry i has ts base + i s and path {@code pathPattern} formatted with i.
     */
    private Instant fabricate(int n, String pathPattern) {
        // The set-up's own requests are audited by the background writer; one committed after the
        // fabricated rows would carry a higher seq and an earlier ts and land inside the test's window.
        Eventually.within(5000, "the audit writer holds no slot", () -> writer.queue().reserved() == 0);
        Instant base = store.read(h -> h.one("SELECT max(ts) FROM audit", rs -> rs.getString(1)))
                .map(t -> Instant.parse(t).plusSeconds(1)).orElse(Instant.now());
        for (int i = 0; i < n; i++) {
            String ts = Timestamps.format(base.plusSeconds(i));
            String path = String.format(pathPattern, i);
            store.write(h -> h.update("INSERT INTO audit (ts, actor, role, method, path, outcome) VALUES (?, 'fab', 'user', "
                    + "'POST', ?, 'allow')", ts, path));
        }
        return base;
    }

    private static String at(Instant base, double seconds) {
        return Timestamps.format(base.plusMillis((long) (seconds * 1000)));
    }

    private String dump() {
        return store.read(h -> String.join("\n", h.query("SELECT seq||' '||ts||' '||actor||' '||coalesce(role,'-')||' '||method"
                + "||' '||path||' '||outcome||' '||coalesce(reason,'-')||' '||coalesce(correlation_id,'-') FROM audit",
                rs -> rs.getString(1))));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
