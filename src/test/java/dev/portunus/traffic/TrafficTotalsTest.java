package dev.portunus.traffic;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Store;
import dev.portunus.store.StoreUnavailableException;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-minute totals of V3 ({@code traffic_totals_1m}): whatever changes the minute samples (a
 * report's additive upsert, retention, a user or client deleted with its samples), the totals equal
 * the sums of the samples in the same transaction, and the charts of a whole scope read them.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class TrafficTotalsTest {

    static final List<String> USERS = List.of("ann", "ben", "cat");

    @Inject
    Store store;

    @Inject
    TrafficRollup rollup;

    static List<String> clients;

    @BeforeEach
    void emptyTrafficTables() {
        Api.superadminExists();
        for (String u : USERS) {
            Api.user(u, "user");
        }
        if (clients == null) {
            clients = List.of(ClientFixtures.client("edge-totals-1"), ClientFixtures.client("edge-totals-2"));
        }
        store.write(h -> h.update("DELETE FROM traffic_samples_1m") + h.update("DELETE FROM traffic_samples_1h")
                + h.update("DELETE FROM traffic_rollup_state"));
        assertEquals(List.of(), kept(), "the triggers emptied the totals with the samples");
    }

    /** The totals as the triggers kept them, one line per row. */
    List<String> kept() {
        return store.read(h -> h.query("SELECT scope || ' ' || scope_id || ' ' || bucket_start || ' ' || sample_rows || ' ' "
                + "|| bytes_in || ' ' || bytes_out FROM traffic_totals_1m ORDER BY 1", rs -> rs.getString(1)));
    }

    /** The same totals summed from the samples as they are now. */
    List<String> summed() {
        return store.read(h -> h.query("SELECT line FROM ("
                + " SELECT 'all  ' || bucket_start || ' ' || count(*) || ' ' || sum(bytes_in) || ' ' || sum(bytes_out) AS line"
                + "   FROM traffic_samples_1m GROUP BY bucket_start"
                + " UNION ALL SELECT 'user ' || user_id || ' ' || bucket_start || ' ' || count(*) || ' ' || sum(bytes_in) || ' ' || sum(bytes_out)"
                + "   FROM traffic_samples_1m GROUP BY user_id, bucket_start"
                + " UNION ALL SELECT 'client ' || client_id || ' ' || bucket_start || ' ' || count(*) || ' ' || sum(bytes_in) || ' ' || sum(bytes_out)"
                + "   FROM traffic_samples_1m GROUP BY client_id, bucket_start) ORDER BY 1", rs -> rs.getString(1)));
    }

    void assertTotalsAreTheSums(String after) {
        List<String> kept = kept();
        assertEquals(summed(), kept, after);
    }

    void add(String user, String client, Instant minute, long in, long out) {
        store.write(h -> {
            TrafficRepository.addToMinute(h, List.<Object[]>of(new Object[] {user, client, Timestamps.format(minute), in, out}));
            return null;
        });
    }

    @Test
    void everyChangeToTheMinuteSamplesKeepsTheTotalsEqualToTheirSums() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES);
        Random random = new Random(20261130);
        String leaving = ClientFixtures.client("edge-totals-leaving");
        List<String> reporters = List.of(clients.get(0), clients.get(1), leaving);
        List<Instant> minutes = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // some inside retention, some older than 7 days
            minutes.add(now.minus(random.nextInt(10 * 24 * 60), ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES));
        }
        for (int i = 1; i <= 300; i++) {
            String user = USERS.get(random.nextInt(USERS.size()));
            String client = reporters.get(random.nextInt(reporters.size()));
            Instant minute = minutes.get(random.nextInt(minutes.size()));
            if (random.nextInt(5) == 0) {
                store.write(h -> h.update("DELETE FROM traffic_samples_1m WHERE user_id = ? AND client_id = ? AND bucket_start = ?",
                        user, client, Timestamps.format(minute)));
            } else {
                add(user, client, minute, random.nextInt(1_000_000), random.nextInt(1_000));
            }
            if (i % 50 == 0) {
                assertTotalsAreTheSums("after " + i + " reports and deletions");
            }
        }
        assertTrue(kept().stream().anyMatch(l -> l.startsWith("user ")) && kept().stream().anyMatch(l -> l.startsWith("client ")));

        rollup.run(now);
        assertTotalsAreTheSums("after the rollup's retention");
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM traffic_totals_1m WHERE bucket_start < ?",
                Timestamps.format(now.minus(7, ChronoUnit.DAYS)))), "totals leave with the minutes retention drops");

        store.write(h -> h.update("DELETE FROM users WHERE id = 'ann'"));
        assertTotalsAreTheSums("after a user was deleted with its samples");
        store.write(h -> h.update("DELETE FROM client_tokens WHERE id = ?", leaving));
        assertTotalsAreTheSums("after a client was deleted with its samples");
    }

    @Test
    void aTotalHeldAtTheInt64BoundStaysWithinRangeWhenItsSamplesLeave() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        add("ann", clients.get(0), minute, Long.MAX_VALUE, 1);
        add("ben", clients.get(0), minute, Long.MAX_VALUE, 1);
        assertTrue(kept().contains("all  " + Timestamps.format(minute) + " 2 " + Long.MAX_VALUE + " 2"), kept().toString());
        store.write(h -> h.update("DELETE FROM traffic_samples_1m WHERE user_id = 'ann'"));
        store.write(h -> h.update("DELETE FROM traffic_samples_1m WHERE user_id = 'ben'"));
        assertEquals(List.of(), kept());
    }

    @Test
    void aSampleKeepsItsUserClientAndMinute() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        add("ann", clients.get(0), minute, 5, 6);
        List<String> before = kept();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.write(h -> h.update(
                "UPDATE traffic_samples_1m SET bucket_start = ? WHERE user_id = 'ann'", Timestamps.format(minute.plusSeconds(60)))));
        assertTrue(String.valueOf(e.getCause()).contains("do not change"), String.valueOf(e.getCause()));
        assertEquals(before, kept());
        assertTotalsAreTheSums("after the refused update");
    }

    @Test
    void theChartOfAWholeScopeReadsItsTotalsAndTheChartOfOnePairItsSamples() {
        long m = Instant.now().getEpochSecond() / 60 * 60 - 120;
        Instant minute = Instant.ofEpochSecond(m);
        add("ann", clients.get(0), minute, 10, 1);
        add("ann", clients.get(1), minute, 20, 2);
        add("ben", clients.get(0), minute, 40, 4);
        // Marks each total so that an answer shows which table it came from.
        store.write(h -> h.update("UPDATE traffic_totals_1m SET bytes_out = bytes_out + 1000"));
        String from = String.valueOf(m - 60);
        String to = String.valueOf(m + 60);
        Api.operator().queryParam("from", from).queryParam("to", to).get("/v1/traffic/global")
                .then().statusCode(200).body("total_bytes_in", equalTo(70)).body("total_bytes_out", equalTo(1007));
        Api.operator().queryParam("from", from).queryParam("to", to).get("/v1/users/ann/traffic")
                .then().statusCode(200).body("total_bytes_in", equalTo(30)).body("total_bytes_out", equalTo(1003));
        Api.operator().queryParam("from", from).queryParam("to", to).get("/v1/clients/" + clients.get(0) + "/traffic")
                .then().statusCode(200).body("total_bytes_in", equalTo(50)).body("total_bytes_out", equalTo(1005));
        Api.operator().queryParam("from", from).queryParam("to", to).queryParam("client_id", clients.get(1))
                .get("/v1/users/ann/traffic")
                .then().statusCode(200).body("total_bytes_in", equalTo(20)).body("total_bytes_out", equalTo(2));
        // The hourly chart's hours not rolled yet come from the same totals.
        long hour = m / 3600 * 3600;
        Api.operator().queryParam("from", hour).queryParam("to", hour + 3600).queryParam("bucket", "1h").get("/v1/traffic/global")
                .then().statusCode(200).body("total_bytes_in", equalTo(70)).body("total_bytes_out", equalTo(1007));
    }
}
