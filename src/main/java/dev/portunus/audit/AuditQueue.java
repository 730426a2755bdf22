package dev.portunus.audit;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between request threads and the audit writer. Room is reserved before an
 * entry is made ({@link #reserve}): a request that must be audited holds a slot from before it takes
 * effect until the writer has committed its entry, so no answered request ever lacks its entry.
 * When the writer is behind, {@link #reserve} waits a bounded time and then fails, and the request is
 * refused (503) instead of being answered unaudited. Nothing is ever dropped while the server runs;
 * {@link #drops()} counts only what a shutdown drain could not write in time.
 */
public final class AuditQueue {

    private final int capacity;
    private final Semaphore slots;
    private final ArrayDeque<AuditEntry> entries;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Signalled when the queue holds {@link #wanted} entries: a lingering writer has a full batch. */
    private final Condition filled = lock.newCondition();
    /** Entries the writer waits for in {@link #awaitAtLeast}; no one waits while it is MAX_VALUE. */
    private int wanted = Integer.MAX_VALUE;
    private final AtomicLong drops = new AtomicLong();

    public AuditQueue(int capacity) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
        this.entries = new ArrayDeque<>(Math.min(capacity, 16_384));
    }

    /** Reserves room for one entry, waiting at most {@code maxWait}; false when none came free in time. */
    public boolean reserve(long maxWait, TimeUnit unit) {
        try {
            return slots.tryAcquire(maxWait, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back a reservation that produced no entry. */
    public void cancel() {
        slots.release();
    }

    /** Queues an entry for a slot reserved before; never blocks, never drops. */
    public void add(AuditEntry entry) {
        lock.lock();
        try {
            entries.addLast(entry);
            notEmpty.signal();
            if (entries.size() >= wanted) {
                filled.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code maxWait} for a first entry, then gives the writer a batch: up to
     * {@code max} entries, oldest first. Returns the number moved into {@code out}. Their slots stay
     * taken until the writer calls {@link #written}.
     */
    public int take(List<AuditEntry> out, int max, long maxWait, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(maxWait);
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (nanos <= 0) {
                    return 0;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            int n = 0;
            while (n < max && !entries.isEmpty()) {
                out.add(entries.pollFirst());
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code n} entries are queued, at most {@code maxWait} (the writer's batch
     * linger, which ends early once a full batch is there). Returns whether they are.
     */
    public boolean awaitAtLeast(int n, long maxWait, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(maxWait);
        lock.lockInterruptibly();
        try {
            wanted = n;
            while (entries.size() < n) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = filled.awaitNanos(nanos);
            }
            return true;
        } finally {
            wanted = Integer.MAX_VALUE;
            lock.unlock();
        }
    }

    /** The writer committed {@code n} entries: their slots are free again. */
    public void written(int n) {
        slots.release(n);
    }

    /** Entries a shutdown could not write in time, given up on. */
    public void dropped(int n) {
        drops.addAndGet(n);
    }

    /** Enqueue time of the oldest pending entry, or -1 when nothing waits. */
    public long oldestEnqueuedNanos() {
        lock.lock();
        try {
            AuditEntry head = entries.peekFirst();
            return head == null ? -1 : head.enqueuedNanos();
        } finally {
            lock.unlock();
        }
    }

    /** Entries queued and not yet taken by the writer. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Slots taken: queued, being written, or reserved by a request in flight. */
    public int reserved() {
        return capacity - slots.availablePermits();
    }

    public long drops() {
        return drops.get();
    }

    public int capacity() {
        return capacity;
    }
}
