package dev.portunus.audit;

import dev.portunus.config.PortunusConfig;
import dev.portunus.store.Store;
import dev.portunus.store.StoreLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The durable audit log's single writer: one background thread takes what the request threads
 * queued and writes it in batches (up to {@code batch-size} rows per {@code BEGIN IMMEDIATE}
 * transaction, one prepared statement per batch). Requests never wait on the disk. On shutdown the
 * queue is drained before the store's WAL checkpoint runs.
 */
@ApplicationScoped
public class AuditWriter {

    /** Runs before {@link StoreLifecycle}'s checkpoint (lower numbers observe first). */
    public static final int DRAIN_PRIORITY = StoreLifecycle.CHECKPOINT_PRIORITY - 1000;

    private static final Logger LOG = Logger.getLogger(AuditWriter.class);

    @Inject
    Store store;

    @Inject
    MeterRegistry registry;

    @Inject
    PortunusConfig config;

    private boolean enabled;
    private int batchSize;

    /**
     * Meters hold their object weakly, and a registry can outlive one application start (tests
     * restart the app in one JVM): the function counter reads through this never-collected holder.
     */
    private static final java.util.concurrent.atomic.AtomicReference<AuditQueue> CURRENT_QUEUE =
            new java.util.concurrent.atomic.AtomicReference<>();

    private AuditQueue queue;
    private Counter written;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile long inFlightSince = -1;
    /** Highest ts written so far: entries are clamped to it so that ts order follows seq order. */
    private String lastTs = "";

    void onStart(@Observes StartupEvent event) {
        configure(config.audit().queueCapacity(), config.audit().batchSize(), config.audit().enabled());
        start();
    }

    /** Sizes the queue and batches and registers the meters; the thread starts with {@link #start()}. */
    void configure(int capacity, int batchSize, boolean enabled) {
        this.enabled = enabled;
        this.batchSize = batchSize;
        queue = new AuditQueue(capacity);
        written = Counter.builder("portunus.audit.entries.written").description("Audit entries committed to the store")
                .register(registry);
        CURRENT_QUEUE.set(queue);
        FunctionCounter.builder("portunus.audit.buffer.drops", CURRENT_QUEUE, q -> q.get().drops())
                .description("Audit entries dropped because the hand-off queue was full (oldest first)").register(registry);
        Gauge.builder("portunus.audit.writer.lag", this, AuditWriter::lagSeconds).baseUnit("seconds")
                .description("Age of the oldest audit entry not yet committed").strongReference(true).register(registry);
        Gauge.builder("portunus.audit.queue.size", queue, AuditQueue::size).strongReference(true).register(registry);
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        lastTs = store.read(AuditRepository::latestTs).orElse("");
        Thread t = new Thread(this::run, "portunus-audit-writer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Hands an entry to the writer; never blocks on the store. */
    public void submit(AuditEntry entry) {
        if (enabled && queue != null) {
            queue.offer(entry);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public AuditQueue queue() {
        return queue;
    }

    double lagSeconds() {
        long oldest = inFlightSince;
        if (oldest < 0 && queue != null) {
            oldest = queue.oldestEnqueuedNanos();
        }
        return oldest < 0 ? 0.0 : (System.nanoTime() - oldest) / 1e9;
    }

    private void run() {
        List<AuditEntry> batch = new ArrayList<>(batchSize);
        while (true) {
            try {
                if (batch.isEmpty() && queue.take(batch, batchSize, 200, TimeUnit.MILLISECONDS) == 0) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                inFlightSince = batch.get(0).enqueuedNanos();
                write(batch);
                written.increment(batch.size());
                batch.clear();
                inFlightSince = -1;
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException e) {
                // Store unavailable (disk full, busy): keep the batch and retry; the queue bounds memory.
                LOG.warnf("audit batch of %d entries not written yet: %s", batch.size(), e.getMessage());
                if (stopping) {
                    return;
                }
                sleepQuietly(500);
            }
        }
    }

    private void write(List<AuditEntry> batch) {
        lastTs = store.write(h -> AuditRepository.insertBatch(h, batch, lastTs));
    }

    /** SIGTERM: everything queued so far reaches the store before the checkpoint and exit. */
    void onStop(@Observes @Priority(DRAIN_PRIORITY) ShutdownEvent event) {
        drain(10_000);
    }

    /** Stops the writer after it has written what is queued; waits at most {@code maxMillis}. */
    public void drain(long maxMillis) {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(maxMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warnf("audit writer did not finish draining within %d ms; %d entries not written", maxMillis, queue.size());
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
