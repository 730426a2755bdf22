package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit writer's batch linger: entries arriving within it share one transaction, also after the
 * writer led a commit of its own; it ends early once a full batch is queued; without it, a lone entry
 * is written at once.
 */
class AuditWriterLingerTest {

    private Path dir;
    private Store store;
    private AuditWriter writer;

    @BeforeEach
    void setUp() {
        dir = TestFiles.tempDir("audit-linger-");
        store = Stores.inProcess(dir);
    }

    @AfterEach
    void tearDown() {
        if (writer != null) {
            writer.drain(TimeUnit.SECONDS.toMillis(10));
        }
        TestFiles.deleteTree(dir);
    }

    @Test
    void entriesArrivingWithinTheLingerAreWrittenInOneTransaction() throws Exception {
        // 80 ms of entries inside a 2 s linger: only a stall of ~2 s in this thread could split them.
        long transactions = startWriter(Duration.ofSeconds(2));
        for (int i = 0; i < 5; i++) {
            submit(i);
            Thread.sleep(20);
        }
        awaitWritten(5);
        assertEquals(1, store.writeTransactions() - transactions);
    }

    @Test
    void theLingerIsKeptAfterTheWriterLedItsOwnCommitWithEntriesAlreadyQueued() throws Exception {
        // The writer's first batch waits on the store's lock while the next entry queues; after that
        // commit (which the writer leads alone: until cfa8f7c that left it a wake-up) it takes the
        // queued entry at once and must still linger for the one that follows 100 ms later (3 s of
        // linger: margin for a stall).
        long transactions = startWriter(Duration.ofSeconds(3));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> store.write(h -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        holder.start();
        assertTrue(held.await(10, TimeUnit.SECONDS));
        submit(0);
        Thread.sleep(4000); // past its linger, the writer waits for the lock with entry 0
        submit(1);
        release.countDown();
        holder.join(10_000);
        Eventually.within(10_000, "entry 0 written", () -> store.read(h -> h.count("SELECT count(*) FROM audit")) >= 1);
        Thread.sleep(100);
        submit(2);
        awaitWritten(3);
        // The holder's transaction, entry 0's, then entries 1 and 2 together.
        assertEquals(3, store.writeTransactions() - transactions);
    }

    @Test
    void withoutALingerALoneEntryIsWrittenWithoutWaiting() throws Exception {
        long transactions = startWriter(Duration.ZERO);
        // Each entry comes after the one before is committed, so each is a batch of its own; five
        // take well under 5 s unless something lingers (a stall of seconds would be needed to fail).
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            submit(i);
            awaitWritten(i + 1);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(5, store.writeTransactions() - transactions);
        assertTrue(millis < 5_000, "five lone entries took " + millis + " ms: something waited for more");
    }

    @Test
    void aLingerEndsAsSoonAsAFullBatchIsQueued() throws Exception {
        // A 30 s linger and batches of 4: four entries are one full batch, written at once (awaitWritten
        // gives up after 10 s). Until the tenth session the linger ran to its deadline whatever came.
        long transactions = startWriter(Duration.ofSeconds(30), 4);
        submit(0);
        // The writer has taken entry 0 and lingers for three more.
        Eventually.within(10_000, "entry 0 taken", () -> writer.queue().size() == 0);
        for (int i = 1; i < 4; i++) {
            submit(i);
        }
        awaitWritten(4);
        assertEquals(1, store.writeTransactions() - transactions);
    }

    private long startWriter(Duration linger) {
        return startWriter(linger, 256);
    }

    private long startWriter(Duration linger, int batchSize) {
        writer = new AuditWriter();
        writer.store = store;
        writer.registry = new SimpleMeterRegistry();
        writer.configure(100, batchSize, linger, true);
        writer.start();
        return store.writeTransactions();
    }

    private void submit(int i) {
        assertTrue(writer.reserve());
        writer.submitReserved(new AuditEntry(System.nanoTime(), Timestamps.now(), "alice", "superadmin", "POST", "/v1/grants",
                "allow", null, "corr-" + i));
    }

    /**
     * Waits until {@code n} entries are committed and their slots free again: the writer frees them
     * just after its commit, so both are awaited together; a slot never freed fails at the deadline.
     */
    private void awaitWritten(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long written;
        while ((written = store.read(h -> h.count("SELECT count(*) FROM audit"))) < n || writer.queue().reserved() != 0) {
            assertTrue(System.nanoTime() < deadline, written + " of " + n + " entries written, "
                    + writer.queue().reserved() + " slots still taken");
            Thread.sleep(10);
        }
    }
}
