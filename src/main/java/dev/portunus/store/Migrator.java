package dev.portunus.store;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * Runs this binary's migrations on a store file: {@code serve} before it boots (through
 * ops/MigrationGuard), {@code restore} on the copy before it is published, {@code import-legacy} on
 * the store it fills. All pending migrations run in one transaction ({@code group}), so a failure
 * leaves the file as it was.
 */
public final class Migrator {

    /** Where the migrations are, for Quarkus' Flyway (application.properties) and for this class. */
    public static final String LOCATION = "db/migration";

    private Migrator() {
    }

    public static void migrate(Path db) {
        Flyway.configure(Migrator.class.getClassLoader())
                .dataSource(SqliteFile.jdbcUrl(db), "", "")
                .locations("classpath:" + LOCATION)
                .group(true)
                .load()
                .migrate();
    }
}
