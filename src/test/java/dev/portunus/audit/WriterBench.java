package dev.portunus.audit;

import dev.portunus.store.Store;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link AuditWriter} and {@link Store} outside Quarkus, on one SQLite connection, for the
 * benchmark's sustained-rate figure (not a test; ApiBench calls it).
 */
public final class WriterBench {

    private WriterBench() {
    }

    /** Queues {@code rows} entries, starts the writer, returns entries per second until all are committed. */
    public static double run(String jdbcUrl, int rows, int batchSize) throws Exception {
        Connection real = DriverManager.getConnection(jdbcUrl);
        Connection shared = (Connection) Proxy.newProxyInstance(WriterBench.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                    if (m.getName().equals("close")) {
                        return null; // the one connection outlives each transaction, like a pooled one
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        AgroalDataSource ds = (AgroalDataSource) Proxy.newProxyInstance(WriterBench.class.getClassLoader(),
                new Class<?>[] {AgroalDataSource.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getConnection")) {
                        return shared;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        AuditWriter writer = new AuditWriter();
        writer.store = new Store(ds);
        writer.registry = new SimpleMeterRegistry();
        writer.configure(rows + 1, batchSize, java.time.Duration.ZERO, true);
        String ts = dev.portunus.store.Timestamps.now();
        for (int i = 0; i < rows; i++) {
            writer.reserve();
            writer.submitReserved(new AuditEntry(System.nanoTime(), ts, "bench", "superadmin", "POST", "/v1/grants", i % 3 == 0 ? "deny" : "allow",
                    i % 3 == 0 ? "forbidden" : null, "corr-" + i));
        }
        long t0 = System.nanoTime();
        writer.start();
        while (writer.queue().size() > 0 || writer.lagSeconds() > 0) {
            Thread.sleep(5);
        }
        writer.drain(TimeUnit.SECONDS.toMillis(60));
        double seconds = (System.nanoTime() - t0) / 1e9;
        real.close();
        return rows / seconds;
    }

}
