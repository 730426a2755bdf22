package dev.portunus.metrics;

import dev.portunus.store.Schema;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready means: the store answers and carries this binary's schema (migrations done). */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    @Inject
    Store store;

    @Override
    public HealthCheckResponse call() {
        try {
            int version = store.read(h -> SqliteFile.schemaVersion(h.connection()));
            return HealthCheckResponse.named("store").status(version == Schema.LATEST_VERSION)
                    .withData("schema_version", version).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("store").down().withData("reason", "store unavailable").build();
        }
    }
}
