package dev.portunus.traffic;

import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The hourly rollup and the retention of traffic samples (06-traffic.md §2.3). A run rolls every
 * closed hour after the watermark, plus the last two closed hours again (a minute written across an
 * hour edge is picked up), each hour in one transaction with the watermark; then drops minutes older
 * than {@code traffic_retention_1m_days} that are rolled up, and hours older than
 * {@code traffic_retention_1h_days}, in chunks, and gives the pages back. An interrupted run keeps
 * what committed and the next one continues.
 */
@ApplicationScoped
public class TrafficRollup {

    static final Duration HOUR = Duration.ofHours(1);

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    @Inject
    TrafficMetrics metrics;

    private volatile boolean cancelled;

    /** What one run did. */
    record Result(int hours, long pruned1m, long pruned1h) {
    }

    /**
     * One run as the job does it: logs {@code traffic.rollup hours=… pruned_1m=… pruned_1h=… ms=…} and
     * sets the last-success gauge, or logs {@code traffic.rollup_failed reason=…}; never throws.
     */
    public void runLogged(Instant now) {
        long t0 = System.nanoTime();
        try {
            Result r = run(now);
            metrics.rollupSucceeded(Instant.now());
            Event.of(EventName.TRAFFIC_ROLLUP).with("hours", r.hours()).with("pruned_1m", r.pruned1m())
                    .with("pruned_1h", r.pruned1h()).with("ms", (System.nanoTime() - t0) / 1_000_000).info();
        } catch (RuntimeException e) {
            Event.of(EventName.TRAFFIC_ROLLUP_FAILED).with("reason", Causes.rootMessage(e))
                    .hint("what committed is kept; the next run (at minute 1 of the next hour) retries").warn();
        }
    }

    /** Stops a running or future run between two transactions (shutdown). */
    void cancel() {
        cancelled = true;
    }

    /** One run at {@code now}; throws when the store fails (what committed before stays). */
    Result run(Instant now) {
        int hours = roll(now);
        long[] pruned = prune(now);
        if (pruned[0] + pruned[1] > 0 && !cancelled) {
            store.incrementalVacuum();
        }
        return new Result(hours, pruned[0], pruned[1]);
    }

    /** Rolls the hours due at {@code now}, one transaction each; returns how many. */
    int roll(Instant now) {
        Instant lastClosed = now.truncatedTo(ChronoUnit.HOURS).minus(HOUR);
        Optional<Instant> start = store.read(TrafficRepository::watermark).map(w -> Instant.parse(w).plus(HOUR));
        if (start.isEmpty()) {
            // Never rolled: from the oldest minute on, but not further back than hours are kept.
            Instant keptFrom = now.minus(Duration.ofDays(config.settings().trafficRetention1hDays())).truncatedTo(ChronoUnit.HOURS);
            start = store.read(TrafficRepository::oldestMinute)
                    .map(m -> latest(Instant.parse(m).truncatedTo(ChronoUnit.HOURS), keptFrom));
        }
        if (start.isEmpty()) {
            return 0; // nothing was ever reported: the store stays untouched (no watermark row)
        }
        int hours = 0;
        for (Instant hour = earliest(start.get(), lastClosed.minus(HOUR)); !hour.isAfter(lastClosed) && !cancelled;
                hour = hour.plus(HOUR)) {
            String from = Timestamps.format(hour);
            String to = Timestamps.format(hour.plus(HOUR));
            store.write(h -> {
                TrafficRepository.rollHour(h, from, to);
                return null;
            });
            hours++;
        }
        return hours;
    }

    /**
     * Retention at {@code now}: minutes past {@code traffic_retention_1m_days} that are rolled up (never
     * past the end of the watermark's hour), hours past {@code traffic_retention_1h_days}. Returns
     * {minute rows, hour rows} removed.
     */
    long[] prune(Instant now) {
        Optional<String> rolled = store.read(TrafficRepository::watermark);
        long minutes = 0;
        if (rolled.isPresent()) {
            Instant cut = earliest(now.minus(Duration.ofDays(config.settings().trafficRetention1mDays())),
                    Instant.parse(rolled.get()).plus(HOUR));
            minutes = prune(cut, TrafficRepository::pruneMinutes, "1m");
        }
        long hours = prune(now.minus(Duration.ofDays(config.settings().trafficRetention1hDays())), TrafficRepository::pruneHours, "1h");
        return new long[] {minutes, hours};
    }

    @FunctionalInterface
    private interface Chunk {
        int delete(Handle h, String before) throws SQLException;
    }

    /** Deletes rows starting before {@code cut}, one chunk per transaction; counts each chunk as it commits. */
    private long prune(Instant cut, Chunk chunk, String table) {
        String before = Timestamps.format(cut);
        long total = 0;
        while (!cancelled) {
            int n = store.write(h -> chunk.delete(h, before));
            total += n;
            metrics.pruned(table, n);
            if (n < TrafficRepository.PRUNE_CHUNK) {
                break;
            }
        }
        return total;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
