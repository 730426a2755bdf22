package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit writer's batch linger: entries arriving within it share one transaction; without it, each goes alone. */
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
    void withoutALingerEntriesThatComeApartAreWrittenApart() throws Exception {
        long transactions = startWriter(Duration.ZERO);
        // Each entry comes after the one before is committed, however slowly this machine writes.
        for (int i = 0; i < 5; i++) {
            submit(i);
            awaitWritten(i + 1);
        }
        assertEquals(5, store.writeTransactions() - transactions);
    }

    private long startWriter(Duration linger) {
        writer = new AuditWriter();
        writer.store = store;
        writer.registry = new SimpleMeterRegistry();
        writer.configure(100, 256, linger, true);
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
