package dev.portunus.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * Runs this binary's migrations on an arbitrary store file (for {@code restore}, which migrates the
 * copy before it is published). Borrows the configuration Quarkus built for the default datasource,
 * which carries the migrations found at build time, and points it at the given file. All pending
 * migrations run in one transaction ({@code group}), so a failure leaves the file as it was.
 */
@ApplicationScoped
public class Migrator {

    @Inject
    Flyway configured;

    public void migrate(Path db) {
        Flyway.configure(Thread.currentThread().getContextClassLoader())
                .configuration(configured.getConfiguration())
                .dataSource(SqliteFile.jdbcUrl(db), "", "")
                .group(true)
                .load()
                .migrate();
    }
}
