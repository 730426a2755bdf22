package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portunus.config.PortunusConfig;
import dev.portunus.testing.TempStoreResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
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
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
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
