package dev.portunus.traffic;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic history reads (06-traffic.md §1, §6 "Reads"): sparse ascending samples with their
 * totals, window edges, the query checks in their order, and who may read what.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class TrafficReadTest {

    /** The start of the minute ten minutes ago: the samples sit around it. */
    static final long M = Instant.now().getEpochSecond() / 60 * 60 - 600;

    @Inject
    Store store;

    static String edge;
    static String other;

    @BeforeEach
    void fixtures() {
        Api.superadminExists();
        Api.user("alice", "user");
        Api.user("bob", "user");
        if (edge == null) {
            edge = ClientFixtures.client("edge-read");
            other = ClientFixtures.client("edge-read-2");
            sample("alice", edge, M, 100, 1000);
            sample("bob", edge, M, 10, 20); // same minute, another user: summed on global and client reads
            sample("alice", edge, M - 300, 7, 8); // inserted out of order
            sample("alice", other, M + 120, 1, 2);
        }
    }

    void sample(String user, String client, long ts, long in, long out) {
        store.write(h -> h.update("INSERT INTO traffic_samples_1m (user_id, client_id, bucket_start, bytes_in, bytes_out) "
                + "VALUES (?, ?, ?, ?, ?)", user, client, Timestamps.format(Instant.ofEpochSecond(ts)), in, out));
    }

    static Response get(RequestSpecification who, String path, Object... query) {
        RequestSpecification spec = who;
        for (int i = 0; i < query.length; i += 2) {
            spec = spec.queryParam((String) query[i], query[i + 1]);
        }
        return spec.get(path);
    }

    static void samples(Response r, List<List<Long>> expected, long totalIn, long totalOut) {
        r.then().statusCode(200).header("Cache-Control", "no-store").header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
                .body("total_bytes_in", equalTo((int) totalIn)).body("total_bytes_out", equalTo((int) totalOut));
        List<Map<String, Number>> got = r.jsonPath().getList("samples");
        assertEquals(expected, got.stream().map(s -> List.of(s.get("ts").longValue(), s.get("bytes_in").longValue(),
                s.get("bytes_out").longValue())).toList(), r.asString());
    }

    @Test
    void samplesAreSparseAscendingAndSumToTheTotals() {
        Response global = get(Api.operator(), "/v1/traffic/global", "from", M - 3600, "to", M + 3600);
        global.then().body("bucket", equalTo("1m"));
        samples(global, List.of(List.of(M - 300, 7L, 8L), List.of(M, 110L, 1020L), List.of(M + 120, 1L, 2L)), 118, 1030);
        assertEquals("{\"bucket\":\"1m\",\"samples\":[{\"ts\":" + (M - 300) + ",\"bytes_in\":7,\"bytes_out\":8},",
                global.asString().substring(0, global.asString().indexOf("},") + 2), "field order and JSON integers");
        samples(get(Api.operator(), "/v1/users/alice/traffic", "from", M - 3600, "to", M + 3600),
                List.of(List.of(M - 300, 7L, 8L), List.of(M, 100L, 1000L), List.of(M + 120, 1L, 2L)), 108, 1010);
        samples(get(Api.operator(), "/v1/users/alice/traffic", "from", M - 3600, "to", M + 3600, "client_id", edge),
                List.of(List.of(M - 300, 7L, 8L), List.of(M, 100L, 1000L)), 107, 1008);
        samples(get(Api.operator(), "/v1/clients/" + edge + "/traffic", "from", M - 3600, "to", M + 3600),
                List.of(List.of(M - 300, 7L, 8L), List.of(M, 110L, 1020L)), 117, 1028);
        samples(get(Api.operator(), "/v1/clients/" + edge + "/traffic", "from", M - 3600, "to", M + 3600, "user_id", "bob",
                "client_name", "ignored"), List.of(List.of(M, 10L, 20L)), 10, 20);
        // A filter that matches nothing, or a window without data: 200 with [] and zeros.
        samples(get(Api.operator(), "/v1/clients/" + edge + "/traffic", "from", M - 3600, "to", M + 3600, "user_id", "nobody"),
                List.of(), 0, 0);
        Response empty = get(Api.operator(), "/v1/traffic/global", "from", M - 7200, "to", M - 3600);
        samples(empty, List.of(), 0, 0);
        assertEquals("{\"bucket\":\"1m\",\"samples\":[],\"total_bytes_in\":0,\"total_bytes_out\":0}", empty.asString());
    }

    @Test
    void aBucketCountsWhenItStartsInsideTheWindow() {
        String path = "/v1/users/bob/traffic";
        samples(get(Api.operator(), path, "from", M, "to", M + 1), List.of(List.of(M, 10L, 20L)), 10, 20);
        samples(get(Api.operator(), path, "from", M + 1, "to", M + 3600), List.of(), 0, 0); // began before from
        samples(get(Api.operator(), path, "from", M - 60, "to", M), List.of(), 0, 0); // to is exclusive
        samples(get(Api.operator(), path, "from", M - 1, "to", M + 60, "bucket", "1m"), List.of(List.of(M, 10L, 20L)), 10, 20);
    }

    @Test
    void theWindowsTheWebUiAsksForAnswer200() {
        long now = Instant.now().getEpochSecond();
        get(Api.operator(), "/v1/traffic/global", "from", now - 7 * 86_400 - 5, "to", now, "bucket", "1m").then().statusCode(200)
                .body("bucket", equalTo("1m")).body("total_bytes_in", equalTo(118));
        get(Api.operator(), "/v1/traffic/global", "from", now - 7 * 86_400, "to", now, "bucket", "1h").then().statusCode(200)
                .body("bucket", equalTo("1h")).body("total_bytes_in", equalTo(118));
        get(Api.operator(), "/v1/traffic/global", "from", now - 86_400, "to", now).then().statusCode(200).body("bucket", equalTo("1m"));
        get(Api.operator(), "/v1/traffic/global", "from", now - 86_401, "to", now).then().statusCode(200).body("bucket", equalTo("1h"));
        get(Api.operator(), "/v1/traffic/global", "from", now - 90 * 86_400, "to", now, "bucket", "1h").then().statusCode(200);
    }

    @Test
    void theQueryIsCheckedInTheContractsOrder() {
        String g = "/v1/traffic/global";
        long now = Instant.now().getEpochSecond();
        error(get(Api.operator(), g, "to", now), 400, "invalid_timestamp");
        error(get(Api.operator(), g, "from", "1.5", "to", now), 400, "invalid_timestamp");
        error(get(Api.operator(), g, "from", "1e9", "to", now), 400, "invalid_timestamp");
        error(get(Api.operator(), g, "from", "", "to", now), 400, "invalid_timestamp");
        error(get(Api.operator(), g, "from", now - 60, "to", "99999999999999999999"), 400, "invalid_timestamp");
        error(Api.operator().queryParam("from", now - 60, now - 120).queryParam("to", now).get(g), 400, "invalid_timestamp");
        error(get(Api.operator(), g, "from", "x", "to", now, "bucket", "5m"), 400, "invalid_timestamp"); // first check first
        error(get(Api.operator(), g, "from", now, "to", now), 400, "invalid_time_range");
        error(get(Api.operator(), g, "from", now, "to", now - 60), 400, "invalid_time_range");
        error(get(Api.operator(), g, "from", -60, "to", now), 400, "invalid_time_range");
        error(get(Api.operator(), g, "from", now, "to", now - 60, "bucket", "5m"), 400, "invalid_time_range");
        error(get(Api.operator(), g, "from", now - 60, "to", now, "bucket", "5m"), 400, "invalid_bucket");
        error(get(Api.operator(), g, "from", now - 60, "to", now, "bucket", ""), 400, "invalid_bucket");
        error(get(Api.operator(), g, "from", now - 60, "to", now, "bucket", "1M"), 400, "invalid_bucket");
        error(get(Api.operator(), g, "from", now - 8 * 86_400, "to", now, "bucket", "1m"), 422, "traffic_bucket_out_of_retention");
        error(get(Api.operator(), g, "from", now - 91 * 86_400, "to", now, "bucket", "1h"), 422, "traffic_bucket_out_of_retention");
        error(get(Api.operator(), g, "from", now - 7 * 86_400, "to", now + 2 * 86_400, "bucket", "1m"), 422, "traffic_too_many_rows");
        error(get(Api.operator(), g, "from", now, "to", Long.MAX_VALUE, "bucket", "1h"), 422, "traffic_too_many_rows");
        // Far-future bounds inside the cap still answer (the store's times end in year 9999).
        get(Api.operator(), g, "from", 253_402_290_000L, "to", 253_402_300_000L, "bucket", "1h").then().statusCode(200)
                .body("samples.size()", equalTo(0));
    }

    @Test
    void rolesAndExistenceComeFirst() {
        String alice = Api.mint("alice");
        long now = Instant.now().getEpochSecond();
        Object[] q = {"from", now - 3600, "to", now};
        error(get(Api.bearer(alice), "/v1/traffic/global", q), 403, "forbidden");
        error(get(Api.bearer(alice), "/v1/clients/" + edge + "/traffic", q), 403, "forbidden");
        error(get(Api.bearer(alice), "/v1/users/bob/traffic", q), 403, "forbidden");
        error(get(Api.bearer(alice), "/v1/users/nobody/traffic", q), 403, "forbidden"); // ownership before existence
        error(get(Api.bearer(alice), "/v1/users/bob/traffic", "to", "x"), 403, "forbidden"); // roles before the query
        get(Api.bearer(alice), "/v1/users/alice/traffic", q).then().statusCode(200).body("total_bytes_in", equalTo(108));
        get(Api.session(Api.login("alice")), "/v1/users/alice/traffic", q).then().statusCode(200);
        error(get(Api.operator(), "/v1/users/nobody/traffic", q), 404, "not_found");
        error(get(Api.operator(), "/v1/users/nobody/traffic", "to", "x"), 404, "not_found"); // existence before the query
        error(get(Api.operator(), "/v1/clients/NOPE/traffic", q), 404, "not_found");
        error(get(Api.anonymous(), "/v1/traffic/global", q), 401, "unauthenticated");
        // A revoked client keeps its history (8 days back, outside the other tests' windows: read hourly).
        String gone = ClientFixtures.client("edge-revoked");
        long old = M - 8 * 86_400;
        sample("alice", gone, old, 5, 6);
        Api.operator().post("/v1/clients/" + gone + "/revoke").then().statusCode(200);
        get(Api.operator(), "/v1/clients/" + gone + "/traffic", "from", old - 3600, "to", old + 3600, "bucket", "1h").then()
                .statusCode(200).body("total_bytes_out", equalTo(6)).body("samples[0].ts", equalTo((int) (old / 3600 * 3600)));
    }

    static void error(Response r, int status, String code) {
        r.then().statusCode(status).body("error.code", equalTo(code));
    }
}
