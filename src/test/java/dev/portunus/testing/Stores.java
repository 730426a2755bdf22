package dev.portunus.testing;

import java.nio.file.Path;
import java.time.Duration;

/** Real stores for tests, made the way an operator makes them: by running the built jar. */
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
            dev.portunus.store.SqliteFile.createEmpty(db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        org.flywaydb.core.Flyway.configure(Stores.class.getClassLoader())
                .dataSource(dev.portunus.store.SqliteFile.jdbcUrl(db), "", "")
                .locations("classpath:" + dev.portunus.store.Migrator.LOCATION)
                .target(String.valueOf(version))
                .load()
                .migrate();
        return db;
    }
}
