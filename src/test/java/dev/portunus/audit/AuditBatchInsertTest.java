package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.store.Store;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AuditRepository#insertBatch}: whatever the batch's size, every entry is written once, with
 * every column, seq in the batch's order, and ts clamped so that ts order follows seq order.
 */
class AuditBatchInsertTest {

    private Path dir;
    private Store store;

    @BeforeEach
    void setUp() {
        dir = TestFiles.tempDir("audit-batch-");
        store = Stores.inProcess(dir);
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dir);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 15, 16, 17, 31, 40, 256})
    void everyEntryIsWrittenOnceInTheBatchsOrderWithTsClamped(int size) {
        List<AuditEntry> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            // Most entries with i % 3 == 2 carry a ts older than the one before them (a request
            // answered after a later one), and every fifth is a denial with its reason and no role.
            String ts = String.format("2026-12-01T10:00:%02d.000Z", i % 3 == 2 ? i / 2 % 60 : i % 60);
            boolean denied = i % 5 == 4;
            batch.add(new AuditEntry(System.nanoTime(), ts, "actor-" + i, denied ? null : "superadmin", i % 2 == 0 ? "POST" : "DELETE",
                    "/v1/grants/" + i, denied ? "deny" : "allow", denied ? "forbidden" : null, "corr-" + i));
        }
        String last = store.write(h -> AuditRepository.insertBatch(h, batch, "2026-12-01T10:00:00.500Z"));

        List<String> rows = store.read(h -> h.query("SELECT ts, actor, role, method, path, outcome, reason, correlation_id "
                + "FROM audit ORDER BY seq", rs -> String.join("|", rs.getString(1), rs.getString(2), orNull(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), orNull(rs.getString(7)), rs.getString(8))));
        List<String> expected = new ArrayList<>();
        String clamped = "2026-12-01T10:00:00.500Z";
        for (AuditEntry e : batch) {
            clamped = e.ts().compareTo(clamped) > 0 ? e.ts() : clamped;
            expected.add(String.join("|", clamped, e.actor(), orNull(e.role()), e.method(), e.path(), e.outcome(),
                    orNull(e.reason()), e.correlationId()));
        }
        assertEquals(expected, rows);
        assertEquals(clamped, last);
    }

    /** SQL NULL kept apart from the text "null". */
    private static String orNull(String value) {
        return value == null ? "<SQL NULL>" : value;
    }
}
