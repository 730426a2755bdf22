package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.SqliteFile;
import dev.portunus.testing.ServerProcess;
import dev.portunus.testing.TestFiles;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The audit log against a real serve process: SIGTERM drains, restarts keep order, kill -9 loses at most a batch. */
class AuditDurabilityIT {

    /** Generous stand-in for "the writer's batch window" on a loaded 2-core machine. */
    static final long BATCH_WINDOW_MS = 1000;

    @Test
    void entriesWrittenBeforeSigtermSurviveTheRestartInOrder() throws Exception {
        Path data = TestFiles.tempDir("it-audit-").resolve("data");
        try (ServerProcess serve = ServerProcess.start(data)) {
            for (int i = 0; i < 50; i++) {
                assertEquals(404, serve.operator("DELETE", "/v1/grants/gr_order_" + i, null).statusCode());
            }
            assertEquals(0, serve.stop(), "SIGTERM is a clean stop");
        }
        try (ServerProcess serve = ServerProcess.start(data)) {
            JsonPath page = JsonPath.from(serve.operator("GET", "/v1/audit?limit=1000", null).body());
            List<String> paths = page.getList("path");
            List<String> ours = paths.stream().filter(p -> p.startsWith("/v1/grants/gr_order_")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 49; i >= 0; i--) {
                expected.add("/v1/grants/gr_order_" + i);
            }
            assertEquals(expected, ours, "newest first, nothing lost, nothing reordered");
            serve.stop();
        }
    }

    @Test
    void afterKillDashNineEveryEntryOlderThanTheBatchWindowIsPresentAndTheStoreIsSound() throws Exception {
        Path data = TestFiles.tempDir("it-kill-").resolve("data");
        ConcurrentLinkedQueue<long[]> done = new ConcurrentLinkedQueue<>(); // {request number, completion millis}
        AtomicBoolean run = new AtomicBoolean(true);
        long killedAt;
        try (ServerProcess serve = ServerProcess.start(data)) {
            Thread stream = new Thread(() -> {
                for (int i = 0; run.get() && i < 100_000; i++) {
                    try {
                        serve.operator("DELETE", "/v1/grants/gr_kill_" + i, null);
                        done.add(new long[] {i, System.currentTimeMillis()});
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            });
            stream.start();
            Thread.sleep(4000);
            killedAt = System.currentTimeMillis();
            serve.kill9();
            run.set(false);
            stream.join(30_000);
        }
        assertTrue(done.size() > 50, "a steady stream ran: " + done.size());
        Set<String> present = new HashSet<>();
        try (Connection c = SqliteFile.openStore(data.resolve("state.db")); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT path FROM audit WHERE path LIKE '/v1/grants/gr_kill_%'")) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        int older = 0;
        for (long[] d : done) {
            if (d[1] < killedAt - BATCH_WINDOW_MS) {
                older++;
                assertTrue(present.contains("/v1/grants/gr_kill_" + d[0]), "lost an entry completed "
                        + (killedAt - d[1]) + " ms before kill -9: " + d[0]);
            }
        }
        assertTrue(older > 20, "enough entries older than the window: " + older);
        // And serve comes back on that store.
        try (ServerProcess again = ServerProcess.start(data)) {
            assertEquals(200, again.operator("GET", "/v1/audit?limit=1", null).statusCode());
            again.stop();
        }
    }
}
