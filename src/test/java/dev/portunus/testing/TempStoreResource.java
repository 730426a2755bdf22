package dev.portunus.testing;

import dev.portunus.store.Migrator;
import dev.portunus.store.SqliteFile;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} its own data-dir on a real local filesystem (under target/, never
 * /dev/shm), with an empty store created and migrated the way {@code serve} does it and a server.toml that
 * sets the operator token {@link #OPERATOR_TOKEN}. Removed again when the test class ends.
 */
public class TempStoreResource implements QuarkusTestResourceLifecycleManager {

    public static final String OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            dir = Files.createTempDirectory(base, "store-");
            ensureSqliteDriver();
            SqliteFile.createEmpty(dir.resolve("state.db"));
            Migrator.migrate(dir.resolve("state.db"));
            Files.writeString(dir.resolve("server.toml"), "operator_token = \"" + OPERATOR_TOKEN + "\"\n");
            return Map.of("portunus.data-dir", dir.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A test profile switch restarts Quarkus in a new class loader, and the driver registered by the
     * previous one is not visible from here any more: register this loader's driver when missing.
     */
    static void ensureSqliteDriver() throws java.sql.SQLException {
        try {
            java.sql.DriverManager.getDriver("jdbc:sqlite:");
        } catch (java.sql.SQLException missing) {
            java.sql.DriverManager.registerDriver(new org.sqlite.JDBC());
        }
    }

    @Override
    public void stop() {
        TestFiles.deleteTree(dir);
    }
}
