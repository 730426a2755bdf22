package dev.portunus.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.ServerProcess;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code audit_retention} in a real serve (07-scheduled-backups.md §3): the pass at start removes
 * everything older than the retention in chunks (a reader sees the count go down in steps), API
 * writes keep succeeding between the chunks, and one {@code audit.retention_pruned} line tells the total.
 */
class AuditRetentionIT {

    private static final int OLD = 200_000;

    private Path root;
    private Path dataDir;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("retention-");
        dataDir = root.resolve("data");
        Stores.migrated(dataDir);
        Sqlite.insertAudit(dataDir.resolve("state.db"), OLD, "2020-01-01T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void theStartPassPrunesInChunksWhileWritesContinue() throws Exception {
        Files.writeString(dataDir.resolve("server.toml"), "operator_token = \"" + ServerProcess.OPERATOR_TOKEN + "\"\n"
                + "audit_retention = \"1h\"\n");
        List<long[]> seen = new ArrayList<>(); // {old rows, users}
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            try (Connection c = Sqlite.open(dataDir.resolve("state.db")); Statement st = c.createStatement()) {
                while (!done.get()) {
                    try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM audit WHERE ts < '2021-01-01'), "
                            + "(SELECT count(*) FROM users)")) {
                        rs.next();
                        synchronized (seen) {
                            seen.add(new long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    } catch (java.sql.SQLException busy) {
                        // a checkpoint or schema lock; next round
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // -Dportunus.backup.retention-start-delay: the pass starts once the writers below are going.
        try (ServerProcess s = ServerProcess.start(dataDir, List.of("-XX:TieredStopAtLevel=1",
                "-Dportunus.backup.retention-start-delay=3s"))) {
            poller.start();
            AtomicInteger created = new AtomicInteger();
            List<Integer> statuses = new ArrayList<>();
            int i = 0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!s.stderr().contains("event=audit.retention_pruned") && System.nanoTime() < deadline) {
                int status = s.operator("POST", "/v1/users", "{\"user_id\":\"u" + i++ + "\",\"display_name\":\"U\",\"role\":\"user\","
                        + "\"initial_password\":\"correct horse battery\"}").statusCode();
                statuses.add(status);
                if (status == 201) {
                    created.incrementAndGet();
                }
            }
            Thread.sleep(200);
            done.set(true);
            poller.join(10_000);
            String line = s.stderr().lines().filter(l -> l.contains("event=audit.retention_pruned")).findFirst().orElseThrow(
                    () -> new AssertionError("no retention pass within 30 s:\n" + s.stderr()));
            assertTrue(line.contains("count=" + OLD + " before="), line);
            assertEquals(1, s.stderr().lines().filter(l -> l.contains("event=audit.retention_pruned")).count(), "one line per pass");
            assertTrue(statuses.stream().allMatch(st -> st == 201), "every write during the pass succeeded: " + statuses);
            assertEquals(0, Sqlite.scalar(dataDir.resolve("state.db"), "SELECT count(*) FROM audit WHERE ts < '2021-01-01'"));
            List<long[]> between;
            synchronized (seen) {
                between = seen.stream().filter(v -> v[0] > 0 && v[0] < OLD).toList();
            }
            long steps = between.stream().mapToLong(v -> v[0]).distinct().count();
            assertTrue(steps >= 2, "a reader saw the pass commit chunk by chunk (" + steps + " intermediate counts)");
            assertTrue(between.stream().allMatch(v -> (OLD - v[0]) % 5_000 == 0), "chunks of 5 000 rows");
            long usersFirst = between.get(0)[1];
            long usersLast = between.get(between.size() - 1)[1];
            assertTrue(usersLast > usersFirst, "API writes committed between the chunks (users " + usersFirst + " -> " + usersLast
                    + ", " + created.get() + " created in all)");
            assertTrue(s.get("/q/metrics", null).body().contains("portunus_audit_retention_pruned_total " + (double) OLD));
            assertEquals(0, s.stop());
        }
    }
}
