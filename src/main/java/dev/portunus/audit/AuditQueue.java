package dev.portunus.audit;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between request threads and the audit writer. {@link #offer} never blocks
 * beyond a short lock: when the queue is full the oldest pending entry is dropped and counted, so
 * a slow disk can cost history but never request latency.
 */
public final class AuditQueue {

    private final int capacity;
    private final ArrayDeque<AuditEntry> entries;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final AtomicLong drops = new AtomicLong();

    public AuditQueue(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 16_384));
    }

    public void offer(AuditEntry entry) {
        lock.lock();
        try {
            if (entries.size() >= capacity) {
                entries.pollFirst();
                drops.incrementAndGet();
            }
            entries.addLast(entry);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code maxWait} for a first entry, then gives the writer a batch: up to
     * {@code max} entries, oldest first. Returns the number moved into {@code out}.
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

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    public long drops() {
        return drops.get();
    }

    public int capacity() {
        return capacity;
    }
}
