package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.config.PortunusConfig;
import dev.portunus.testing.TempStoreResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class PooledConnectionPragmasTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    @Test
    void everyPooledConnectionRunsWithTheStorePragmas() throws SQLException {
        // Hold several at once so that the pool has to open distinct physical connections.
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(dataSource.getConnection());
            }
            for (Connection c : held) {
                assertEquals("wal", pragma(c, "journal_mode"));
                assertEquals("1", pragma(c, "synchronous"), "synchronous=NORMAL");
                assertEquals("1", pragma(c, "foreign_keys"));
                assertEquals("5000", pragma(c, "busy_timeout"));
                assertEquals("2", pragma(c, "temp_store"), "temp_store=MEMORY");
                assertEquals("2", pragma(c, "auto_vacuum"), "auto_vacuum=INCREMENTAL");
                assertEquals("0", pragma(c, "wal_autocheckpoint"), "no checkpoint inside a writer's commit");
                assertFalse(c.unwrap(org.sqlite.SQLiteConnection.class).getDatabase().getConfig().isGetGeneratedKeys(),
                        "the driver does not look for generated keys after every statement");
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void keptStatementsOutliveThePooledConnectionGoingBack() throws SQLException {
        // The pool cancels and closes whatever was prepared through its wrapper and is still open when
        // the connection goes back (and the cancel interrupts that connection's next statement), so
        // kept statements must be the driver connection's own.
        Statements.PerConnection perConnection = new Statements.PerConnection();
        PreparedStatement kept;
        try (Connection c = dataSource.getConnection()) {
            kept = perConnection.of(c).get("SELECT 1");
        }
        assertFalse(kept.isClosed(), "a kept statement is prepared on the driver's connection");
        try (ResultSet rs = kept.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        }
        kept.close();
    }

    @Test
    void writesBeginImmediateSoTheyHoldTheWriteLockFromTheFirstStatement() throws SQLException {
        // Inside store.write, another connection must not be able to start a write transaction.
        store.write(h -> {
            try (Connection other = SqliteFile.openStore(new StoreFiles(config.dataDir()).db()); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout=0");
                SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                        () -> s.execute("BEGIN IMMEDIATE"));
                org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("SQLITE_BUSY"), refused.getMessage());
            }
            return null;
        });
    }

    @Test
    void theWalIsCopiedBackBesideTheWritersWithinAFewPeriods() throws Exception {
        for (int i = 0; i < 50; i++) {
            int n = i;
            store.write(h -> h.update("INSERT INTO server_settings (id, settings_json, updated_at) VALUES (1, json_object('n', ?1), ?2) "
                    + "ON CONFLICT (id) DO UPDATE SET settings_json = json_object('n', ?1)", n, Timestamps.now()));
        }
        // PASSIVE reports (busy, frames in the WAL, frames already copied); the background thread
        // should have copied every frame without anyone asking.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        int[] state;
        do {
            Thread.sleep(WalCheckpointer.PERIOD_MILLIS);
            state = walState();
        } while (state[0] != state[1] && System.nanoTime() < deadline);
        store.write(h -> h.update("DELETE FROM server_settings"));
        org.junit.jupiter.api.Assertions.assertTrue(state[0] > 0, "the writes went to the WAL");
        assertEquals(state[0], state[1], "every WAL frame is in the database file");
    }

    /** Frames in the WAL and frames copied, read without copying anything (a checkpoint of no pages). */
    private int[] walState() throws SQLException {
        try (Connection c = SqliteFile.openReadOnlyLive(new StoreFiles(config.dataDir()).db());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return new int[] {rs.getInt(2), rs.getInt(3)};
        }
    }

    @Test
    void aFailedWriteRollsBackEverything() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> store.write(h -> {
            h.update("INSERT INTO server_settings (id, settings_json, updated_at) VALUES (1, '{}', ?)", Timestamps.now());
            throw new IllegalStateException("boom");
        }));
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM server_settings")));
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
