package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void roomIsReservedBeforeAnEntryAndComesBackOnlyWhenTheWriterCommitted() throws Exception {
        AuditQueue q = new AuditQueue(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(q.reserve(0, TimeUnit.MILLISECONDS));
            q.add(entry(i));
        }
        long t0 = System.nanoTime();
        assertFalse(q.reserve(50, TimeUnit.MILLISECONDS), "full: no fourth slot");
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 45, "the wait is bounded but real: " + waited + " ms");
        List<AuditEntry> out = new ArrayList<>();
        assertEquals(3, q.take(out, 10, 0, TimeUnit.MILLISECONDS));
        assertFalse(q.reserve(0, TimeUnit.MILLISECONDS), "taken is not written: the slots are still held");
        q.written(2);
        assertTrue(q.reserve(0, TimeUnit.MILLISECONDS));
        assertTrue(q.reserve(0, TimeUnit.MILLISECONDS));
        assertFalse(q.reserve(0, TimeUnit.MILLISECONDS));
        q.cancel();
        assertTrue(q.reserve(0, TimeUnit.MILLISECONDS), "a cancelled reservation frees its slot");
        assertEquals(0, q.drops(), "nothing is ever dropped while serving");
        assertEquals("/v1/x/0", out.get(0).path());
        assertEquals("/v1/x/2", out.get(2).path());
    }

    @Test
    void addingAReservedEntryNeverBlocks() {
        AuditQueue q = new AuditQueue(1_000_000);
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) {
            q.reserve(0, TimeUnit.MILLISECONDS);
            q.add(entry(i));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1_000_000, q.size());
        assertTrue(ms < 5000, "1M reserve+add took " + ms + " ms");
    }

    @Test
    void takeWaitsForAFirstEntryThenReturnsABatchInOrder() throws Exception {
        AuditQueue q = new AuditQueue(100);
        List<AuditEntry> out = new ArrayList<>();
        assertEquals(0, q.take(out, 10, 20, TimeUnit.MILLISECONDS));
        for (int i = 0; i < 15; i++) {
            q.reserve(0, TimeUnit.MILLISECONDS);
            q.add(entry(i));
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
