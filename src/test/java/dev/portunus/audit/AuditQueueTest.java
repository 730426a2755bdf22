package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
        // Every slot reserved and nobody taking: an add that waited for room or for the writer would
        // hang here (the time limit only turns a hang into a failure; speed is not what this pins).
        AuditQueue q = new AuditQueue(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 100_000; i++) {
                assertTrue(q.reserve(0, TimeUnit.MILLISECONDS));
            }
            for (int i = 0; i < 100_000; i++) {
                q.add(entry(i));
            }
        });
        assertEquals(100_000, q.size());
        assertFalse(q.reserve(0, TimeUnit.MILLISECONDS), "every slot is held by a queued entry");
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
    void awaitingAFullBatchEndsWhenItIsQueuedOrAtTheDeadline() throws Exception {
        AuditQueue q = new AuditQueue(10);
        q.add(entry(0));
        long t0 = System.nanoTime();
        assertFalse(q.awaitAtLeast(2, 50, TimeUnit.MILLISECONDS), "one entry is not two");
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 45, "the wait lasts until its deadline");
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            q.add(entry(1));
            q.add(entry(2));
        });
        producer.start();
        // Ended by the third entry, not by its 30 s deadline.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertTrue(q.awaitAtLeast(3, 30, TimeUnit.SECONDS)));
        producer.join();
        assertEquals(3, q.size());
    }

    @Test
    void cursorsRoundTripAndRejectForeignText() {
        assertEquals(12345L, AuditService.decodeCursor(AuditService.encodeCursor(12345L)));
    }
}
