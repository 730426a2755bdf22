package dev.portunus.traffic;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding window per client: at most {@code max} admitted reports within any {@code window}.
 * Refused attempts do not count, so a client that backs off (Retry-After: 1) gets through again.
 * In memory only: a restart forgets the windows, which costs at most one extra second of reports.
 */
final class ReportLimiter {

    private final int max;
    private final long windowNanos;
    private final Map<String, ArrayDeque<Long>> admitted = new ConcurrentHashMap<>();

    ReportLimiter(int max, Duration window) {
        this.max = max;
        this.windowNanos = window.toNanos();
    }

    /** True (and counted) when {@code client} may send another report at {@code nowNanos}. */
    boolean admit(String client, long nowNanos) {
        ArrayDeque<Long> times = admitted.computeIfAbsent(client, k -> new ArrayDeque<>(max + 1));
        synchronized (times) {
            while (!times.isEmpty() && nowNanos - times.peekFirst() >= windowNanos) {
                times.pollFirst();
            }
            if (times.size() >= max) {
                return false;
            }
            times.addLast(nowNanos);
            return true;
        }
    }
}
