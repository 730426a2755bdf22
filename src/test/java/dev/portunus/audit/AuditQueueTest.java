package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditQueueTest {

    private static AuditEntry entry(int i) {
        return new AuditEntry(System.nanoTime(), "2026-01-01T00:00:00.000Z", "a", null, "POST", "/v1/x/" + i, "allow", null, null);
    }

    @Test
    void whenFullTheOldestIsDroppedAndCounted() throws Exception {
        AuditQueue q = new AuditQueue(10);
        for (int i = 0; i < 25; i++) {
            q.offer(entry(i));
        }
        assertEquals(15, q.drops());
        List<AuditEntry> out = new ArrayList<>();
        assertEquals(10, q.take(out, 100, 0, TimeUnit.MILLISECONDS));
        assertEquals("/v1/x/15", out.get(0).path());
        assertEquals("/v1/x/24", out.get(9).path());
    }

    @Test
    void offeringToAFullQueueStaysCheap() {
        AuditQueue q = new AuditQueue(1000);
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) {
            q.offer(entry(i));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(999_000, q.drops());
        assertTrue(ms < 5000, "1M offers took " + ms + " ms");
    }

    @Test
    void takeWaitsForAFirstEntryThenReturnsABatchInOrder() throws Exception {
        AuditQueue q = new AuditQueue(100);
        List<AuditEntry> out = new ArrayList<>();
        assertEquals(0, q.take(out, 10, 20, TimeUnit.MILLISECONDS));
        for (int i = 0; i < 15; i++) {
            q.offer(entry(i));
        }
        assertEquals(10, q.take(out, 10, 0, TimeUnit.MILLISECONDS));
        assertEquals(5, q.size());
        assertTrue(q.oldestEnqueuedNanos() > 0);
    }

    @Test
    void cursorsRoundTripAndRejectForeignText() {
        assertEquals(12345L, AuditService.decodeCursor(AuditService.encodeCursor(12345L)));
    }
}
