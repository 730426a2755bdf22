package dev.portunus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Migrator;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
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
    void setUp() throws Exception {
        dir = TestFiles.tempDir("audit-linger-");
        Path db = dir.resolve("state.db");
        SqliteFile.createEmpty(db);
        Migrator.migrate(db);
        store = new Store(SqliteFile.dataSource(db));
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
        long transactions = startWriter(Duration.ofMillis(300));
        submitSpaced(5, 20);
        awaitWritten(5);
        assertEquals(1, store.writeTransactions() - transactions);
    }

    @Test
    void withoutALingerEntriesThatComeApartAreWrittenApart() throws Exception {
        long transactions = startWriter(Duration.ZERO);
        submitSpaced(5, 60);
        awaitWritten(5);
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

    private void submitSpaced(int n, long millisApart) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            assertTrue(writer.reserve());
            writer.submitReserved(new AuditEntry(System.nanoTime(), Timestamps.now(), "alice", "superadmin", "POST", "/v1/grants",
                    "allow", null, "corr-" + i));
            Thread.sleep(millisApart);
        }
    }

    private void awaitWritten(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.read(h -> h.count("SELECT count(*) FROM audit")) < n) {
            assertTrue(System.nanoTime() < deadline, "entries never written");
            Thread.sleep(10);
        }
        assertEquals(0, writer.queue().reserved(), "every slot is free again once its entry is committed");
    }
}
