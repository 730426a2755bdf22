package dev.portunus.metrics;

import dev.portunus.config.PortunusConfig;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.Store;
import dev.portunus.store.StoreFiles;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Store gauges for Prometheus: busy failures, file and WAL size, and the time of the last backup.
 * The last-backup time is read from {@code server_settings.settings_json} key
 * {@code last_backup_unix} (seconds), which the backup command records after each artefact (it
 * runs in another process); 0 until the first backup.
 */
@ApplicationScoped
public class StoreMetrics {

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    @Inject
    MeterRegistry registry;

    /** Meters hold their object weakly; read through a never-collected holder (see AuditWriter). */
    private static final java.util.concurrent.atomic.AtomicReference<Store> CURRENT_STORE =
            new java.util.concurrent.atomic.AtomicReference<>();

    private volatile long lastBackupReadAt;
    private volatile double lastBackup;

    void onStart(@Observes StartupEvent event) {
        CURRENT_STORE.set(store);
        FunctionCounter.builder("portunus.store.busy", CURRENT_STORE, s -> s.get().busyCount())
                .description("Store operations that failed because SQLite stayed busy").register(registry);
        Gauge.builder("portunus.store.size", this, m -> size(new StoreFiles(m.config.dataDir()).db())).baseUnit("bytes")
                .description("Size of state.db").strongReference(true).register(registry);
        Gauge.builder("portunus.store.wal.size", this, m -> size(new StoreFiles(m.config.dataDir()).wal())).baseUnit("bytes")
                .description("Size of state.db-wal").strongReference(true).register(registry);
        Gauge.builder("portunus.last.backup.timestamp", this, StoreMetrics::lastBackupSeconds).baseUnit("seconds")
                .description("Unix time of the last backup recorded in the store (0: none recorded)").strongReference(true).register(registry);
    }

    static double size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * A backup inside this process was just recorded in the store: the next scrape reads
     * {@code last_backup_unix} again instead of the cached value (the store stays the one source).
     */
    public void refreshLastBackup() {
        lastBackupReadAt = 0;
    }

    double lastBackupSeconds() {
        long now = System.currentTimeMillis();
        if (now - lastBackupReadAt > 30_000) {
            lastBackupReadAt = now;
            try {
                lastBackup = store.read(h -> SettingsRepository.number(h, SettingsRepository.LAST_BACKUP_UNIX)).orElse(0.0);
            } catch (RuntimeException e) {
                // keep the last value; the store gauge family shows the outage elsewhere
            }
        }
        return lastBackup;
    }

    /** HTTP server timings as histograms (Prometheus buckets), for p50/p99 from the scrape. */
    @Produces
    @Singleton
    MeterFilter httpHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("http.server.requests")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }
}
