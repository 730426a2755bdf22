package dev.portunus.audit;

import dev.portunus.api.ApiException;
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
    private long lingerNanos;
    private long admissionWaitNanos;
    private Counter refused;

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
        configure(config.audit().queueCapacity(), config.audit().batchSize(), config.audit().batchLinger(), config.audit().enabled());
        admissionWaitNanos = config.audit().admissionWait().toNanos();
        start();
    }

    /** Sizes the queue and batches and registers the meters; the thread starts with {@link #start()}. */
    void configure(int capacity, int batchSize, java.time.Duration linger, boolean enabled) {
        this.enabled = enabled;
        // A batch never holds more entries than the queue has slots; a linger waiting for more would wait in vain.
        this.batchSize = Math.min(batchSize, capacity);
        this.lingerNanos = linger.toNanos();
        queue = new AuditQueue(capacity);
        written = Counter.builder("portunus.audit.entries.written").description("Audit entries committed to the store")
                .register(registry);
        CURRENT_QUEUE.set(queue);
        FunctionCounter.builder("portunus.audit.buffer.drops", CURRENT_QUEUE, q -> q.get().drops())
                .description("Audit entries given up on because a shutdown drain ran out of time (never while serving)")
                .register(registry);
        refused = Counter.builder("portunus.audit.backpressure")
                .description("Requests answered 503 audit_backlog because the audit writer stayed behind").register(registry);
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
        // Request threads wait on this thread's progress when it falls behind; let it win the CPU.
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    /**
     * Reserves room for one entry, waiting at most the admission wait ({@code portunus.audit.admission-wait});
     * false when the writer stayed behind that long — the caller then refuses the request with 503
     * {@code audit_backlog} (see {@link #refusedForBacklog()}) instead of answering it unaudited. Always
     * true while auditing is off.
     */
    public boolean reserve() {
        return !enabled || queue.reserve(admissionWaitNanos, TimeUnit.NANOSECONDS);
    }

    /** Hands over the entry of a request that {@link #reserve reserved} its slot; never blocks or drops. */
    public void submitReserved(AuditEntry entry) {
        if (enabled) {
            queue.add(entry);
        }
    }

    /** Gives back a reservation that produced no entry. */
    public void cancel() {
        if (enabled) {
            queue.cancel();
        }
    }

    /** Counts a request refused because no slot came free ({@code portunus_audit_backpressure_total}). */
    public ApiException refusedForBacklog() {
        refused.increment();
        return new ApiException(503, AuditPolicy.BACKLOG,
                "the audit log is behind; the request was not carried out, retry in a moment");
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
                if (batch.isEmpty()) {
                    if (queue.take(batch, batchSize, 200, TimeUnit.MILLISECONDS) == 0) {
                        if (stopping) {
                            return;
                        }
                        continue;
                    }
                    linger(batch);
                }
                inFlightSince = batch.get(0).enqueuedNanos();
                write(batch);
                written.increment(batch.size());
                queue.written(batch.size());
                batch.clear();
                inFlightSince = -1;
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException e) {
                // Store unavailable (disk full, busy): keep the batch and retry. Its slots stay taken, so
                // new audited requests wait and then get 503 rather than piling up unwritten entries.
                LOG.warnf("audit batch of %d entries not written yet: %s", batch.size(), e.getMessage());
                if (stopping) {
                    queue.dropped(batch.size() + queue.size());
                    return;
                }
                sleepQuietly(500);
            }
        }
    }

    /**
     * Waits up to {@code batch-linger} for more entries before writing a batch that is not full, and
     * no longer once a full batch is queued: a flood's batches fill long before the deadline, and the
     * writer keeps up with it whatever the linger. Each batch wakes this thread and joins a group
     * commit, where it rewrites the last pages of the audit table and its indexes; under credential
     * mints this thread's CPU was 5.0-5.2 us per mint at 2 ms and 2.9-3.1 us at 10 ms (bench/RESULTS.md,
     * tenth session). Requests never wait for it; an entry reaches the store up to that much later.
     */
    private void linger(List<AuditEntry> batch) throws InterruptedException {
        if (lingerNanos <= 0 || stopping || batch.size() >= batchSize) {
            return;
        }
        queue.awaitAtLeast(batchSize - batch.size(), lingerNanos, TimeUnit.NANOSECONDS);
        queue.take(batch, batchSize - batch.size(), 0, TimeUnit.NANOSECONDS);
    }

    /**
     * A batch shares the transaction of whatever grouped writes (credential mints) queue beside it:
     * a transaction of its own cost a commit and, queued fairly on the write lock, sent every grouped
     * writer the long way round. The batch depends on nothing but itself, as a grouped write must.
     */
    private void write(List<AuditEntry> batch) {
        String after = lastTs;
        lastTs = store.writeGrouped(h -> AuditRepository.insertBatch(h, batch, after));
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
            queue.dropped(queue.size());
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
