package dev.portunus.testing;

import dev.portunus.store.Migrator;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import java.nio.file.Path;
import java.time.Duration;

/** Real stores for tests: made the way an operator makes them, by running the built jar, or in-process ({@link #inProcess}). */
public final class Stores {

    private Stores() {
    }

    /** A data-dir holding a fresh, fully migrated store: one {@code serve} started and stopped cleanly. */
    public static Path migrated(Path dataDir) {
        try (CliRun.Serving s = CliRun.create().serve(dataDir)) {
            CliRun.Result stopped = s.process().terminate(Duration.ofSeconds(30));
            if (stopped.exitCode() != 0) {
                throw new AssertionError("serve did not stop cleanly: " + stopped);
            }
        }
        return dataDir;
    }

    /**
     * A fresh, fully migrated {@code state.db} in {@code dir}, without a process: a {@link
     * Store} on it, each transaction on a connection of its own.
     */
    public static Store inProcess(Path dir) {
        Path db = dir.resolve("state.db");
        try {
            SqliteFile.createEmpty(db);
            Migrator.migrate(db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Store(SqliteFile.dataSource(db));
    }

    /** {@code backup --out out} of {@code dataDir}; fails the test unless it exits 0. */
    public static Path backup(Path dataDir, Path out) {
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", out.toString());
        if (r.exitCode() != 0) {
            throw new AssertionError("backup failed: " + r);
        }
        return Path.of(r.stdout().strip());
    }

    /**
     * A store file migrated only up to {@code version} (an older release's store), with the PRAGMAs
     * {@code serve} gives a fresh one.
     */
    public static Path atSchemaVersion(Path db, int version) {
        try {
            java.nio.file.Files.createDirectories(db.getParent());
            SqliteFile.createEmpty(db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        org.flywaydb.core.Flyway.configure(Stores.class.getClassLoader())
                .dataSource(SqliteFile.jdbcUrl(db), "", "")
                .locations("classpath:" + Migrator.LOCATION)
                .target(String.valueOf(version))
                .load()
                .migrate();
        return db;
    }

    /** Every schema an older release may have left (1 up to the newest, exclusive): each must migrate forward. */
    public static java.util.stream.IntStream olderVersions() {
        return java.util.stream.IntStream.range(1, dev.portunus.store.Schema.LATEST_VERSION);
    }

    /** The highest version Flyway's history of {@code db} records as applied, read with SQL of its own. */
    public static long schemaVersion(Path db) {
        return Sqlite.scalar(db, "SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success");
    }

    /** The traffic samples {@link #olderWithTraffic} writes, as "user client bytes_in bytes_out" ordered. */
    public static final java.util.List<String> OLDER_SAMPLES = java.util.List.of("ann edge 10 1", "ben edge 20 2");
    /** Their per-minute totals once migrated to version 3 or later, as "scope scope_id sample_rows bytes_in bytes_out". */
    public static final java.util.List<String> OLDER_TOTALS =
            java.util.List.of("all  2 30 3", "client edge 2 30 3", "user ann 1 10 1", "user ben 1 20 2");

    /**
     * {@link #atSchemaVersion} with two users, a client and two minute samples of this minute (that
     * the rollup and retention leave alone: its hour has not ended), in the columns every version has.
     */
    public static Path olderWithTraffic(Path db, int version) {
        atSchemaVersion(db, version);
        String minute = dev.portunus.store.Timestamps.format(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        Sqlite.exec(db, "INSERT INTO users (id, role, display_name, created_at) VALUES ('ann', 'user', 'Ann', '" + minute + "'), "
                        + "('ben', 'user', 'Ben', '" + minute + "')",
                "INSERT INTO client_tokens (id, display_name, issued_at) VALUES ('edge', 'edge', '" + minute + "')",
                "INSERT INTO traffic_samples_1m (user_id, client_id, bucket_start, bytes_in, bytes_out) VALUES "
                        + "('ann', 'edge', '" + minute + "', 10, 1), ('ben', 'edge', '" + minute + "', 20, 2)");
        return db;
    }

    /** The samples of a store in the shape of {@link #OLDER_SAMPLES}. */
    public static java.util.List<String> samples(Path db) {
        return Sqlite.rows(db, "SELECT user_id || ' ' || client_id || ' ' || bytes_in || ' ' || bytes_out FROM traffic_samples_1m ORDER BY 1");
    }

    /** The per-minute totals of a store in the shape of {@link #OLDER_TOTALS}. */
    public static java.util.List<String> totals(Path db) {
        return Sqlite.rows(db, "SELECT scope || ' ' || scope_id || ' ' || sample_rows || ' ' || bytes_in || ' ' || bytes_out "
                + "FROM traffic_totals_1m ORDER BY 1");
    }
}
