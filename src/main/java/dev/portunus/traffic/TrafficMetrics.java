package dev.portunus.traffic;

import dev.portunus.clients.ClientRepository;
import dev.portunus.rules.RuleRepository;
import dev.portunus.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The traffic series of the Prometheus registry (06-traffic.md §4), as the web UI's Dashboard reads
 * them: {@code portunus_clients_connected} (no labels), per rule
 * {@code portunus_rule_bytes_in_total}/{@code _out_total} (accepted report deltas since this process
 * started, bytes) and {@code portunus_rule_active_connections} (last reported gauge), each labelled
 * {@code client}, {@code rule}, {@code owner} (ids); {@code portunus_traffic_reports_total{result}},
 * {@code portunus_traffic_rollup_last_success_timestamp_seconds} and
 * {@code portunus_traffic_samples_pruned_total{table}}; and, beyond the contract, how long reports take
 * to answer ({@code portunus_traffic_report_duration_seconds}).
 *
 * <p>A rule's series go when the rule is deleted (with its owner, grant or client too), and its gauge
 * also when no report has carried it for {@link #SILENT_SECS} — its client fell silent, or stopped
 * reporting the rule ({@link #sweep}, every few seconds in {@code serve}). A report need not list
 * every rule: a client may split 10 000 rules over several reports.
 */
@ApplicationScoped
public class TrafficMetrics {

    static final long SILENT_SECS = 120;
    /** The connected count reads the store; scrapes within this many milliseconds share one read. */
    static final long CONNECTED_CACHE_MILLIS = 5_000;

    static final String BYTES_IN = "portunus.rule.bytes.in";
    static final String BYTES_OUT = "portunus.rule.bytes.out";
    static final String ACTIVE = "portunus.rule.active.connections";
    static final String CONNECTED = "portunus.clients.connected";
    static final String LAST_ROLLUP = "portunus.traffic.rollup.last.success.timestamp";

    @Inject
    MeterRegistry registry;

    @Inject
    Store store;

    /** The labels of a rule's series. */
    record Series(String client, String rule, String owner) {

        Tags tags() {
            return Tags.of("client", client, "rule", rule, "owner", owner);
        }
    }

    /** One rule's accepted bytes and last gauge, as a report hands them over after its commit. */
    record RuleDelta(String ruleId, String owner, long bytesIn, long bytesOut, Integer activeConnections) {
    }

    private record Bytes(Counter in, Counter out) {
    }

    /** A gauge and when a report last carried it (epoch millis). */
    private record Active(AtomicLong value, AtomicLong reportedAt, Gauge gauge) {
    }

    private final ExecutorService updates = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portunus-traffic-metrics");
        t.setDaemon(true);
        return t;
    });
    private final Map<Series, Bytes> bytes = new ConcurrentHashMap<>();
    private final Map<Series, Active> active = new ConcurrentHashMap<>();
    private final AtomicLong lastRollup = new AtomicLong();
    private volatile long connected;
    private volatile long connectedReadAt;

    private Counter accepted;
    private Counter duplicate;
    private Counter rejected;
    private Counter pruned1m;
    private Counter pruned1h;
    private Timer reportDuration;

    void onStart(@Observes StartupEvent event) {
        replace(CONNECTED, Gauge.builder(CONNECTED, this, TrafficMetrics::connected)
                .description("Non-revoked clients seen (whoami or traffic report) within the last 60 s"), Tags.empty());
        accepted = reports("accepted");
        duplicate = reports("duplicate");
        rejected = reports("rejected");
        replace(LAST_ROLLUP, Gauge.builder(LAST_ROLLUP, lastRollup, AtomicLong::get).baseUnit("seconds")
                .description("Unix time of the last successful traffic rollup (0: none since start)"), Tags.empty());
        pruned1m = pruned("1m");
        pruned1h = pruned("1h");
        reportDuration = Timer.builder("portunus.traffic.report.duration")
                .description("Time from a traffic report's request to its answer on the client listener (body, checks, "
                        + "transaction, quota statuses; not the TLS handshake)")
                .register(registry);
    }

    void onStop(@Observes ShutdownEvent event) {
        updates.shutdownNow();
    }

    private Counter reports(String result) {
        return Counter.builder("portunus.traffic.reports").tag("result", result)
                .description("Traffic reports by result: accepted, duplicate (already applied), rejected (refused)")
                .register(registry);
    }

    private Counter pruned(String table) {
        return Counter.builder("portunus.traffic.samples.pruned").tag("table", table)
                .description("Traffic sample rows removed by retention").register(registry);
    }

    /**
     * After the commit of an accepted report received at {@code now}: bytes added, gauges set — on a
     * thread of its own, in report order, so that the report's answer never waits for it (a client's
     * first report of 10 000 rules registers 20 000 series, about a second here).
     */
    void accepted(String clientId, List<RuleDelta> rules, Instant now) {
        accepted.increment();
        updates.execute(() -> apply(clientId, rules, now));
    }

    /** Waits until every update handed over so far is visible (tests). */
    void flush() {
        try {
            updates.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(String clientId, List<RuleDelta> rules, Instant now) {
        for (RuleDelta r : rules) {
            Series s = new Series(clientId, r.ruleId(), r.owner());
            Bytes b = bytes.computeIfAbsent(s, k -> new Bytes(counter(BYTES_IN, k), counter(BYTES_OUT, k)));
            b.in().increment(r.bytesIn());
            b.out().increment(r.bytesOut());
            if (r.activeConnections() != null) {
                Active a = active.computeIfAbsent(s, this::gauge);
                a.value().set(r.activeConnections());
                a.reportedAt().set(now.toEpochMilli());
            }
        }
    }

    /** One report answered, whatever the answer, {@code nanos} after its request arrived. */
    void answered(long nanos) {
        reportDuration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void duplicate() {
        duplicate.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void rollupSucceeded(Instant at) {
        lastRollup.set(at.getEpochSecond());
    }

    /** Rows of {@code table} ({@code 1m} or {@code 1h}) removed by retention. */
    void pruned(String table, long rows) {
        (table.equals("1m") ? pruned1m : pruned1h).increment(rows);
    }

    /** The last reported gauge of a rule, 0 when none is current. */
    long activeConnections(String clientId, String ruleId, String owner) {
        Active a = active.get(new Series(clientId, ruleId, owner));
        return a == null ? 0 : a.value().get();
    }

    /**
     * Drops the gauges no report carried for {@link #SILENT_SECS} before {@code now}, and every series
     * of rules that no longer exist on their client (deleted directly, or with their owner, grant or
     * client).
     */
    public void sweep(Instant now) {
        long silentSince = now.minusSeconds(SILENT_SECS).toEpochMilli();
        active.entrySet().stream().filter(e -> e.getValue().reportedAt().get() < silentSince).map(Map.Entry::getKey).toList()
                .forEach(this::dropGauge);
        Set<String> clients = new HashSet<>();
        bytes.keySet().forEach(s -> clients.add(s.client()));
        active.keySet().forEach(s -> clients.add(s.client()));
        for (String client : clients) {
            Map<String, String> rules = store.read(h -> RuleRepository.ownersOnClient(h, client));
            bytes.keySet().stream().filter(s -> s.client().equals(client) && !rules.containsKey(s.rule())).toList()
                    .forEach(s -> {
                        Bytes b = bytes.remove(s);
                        registry.remove(b.in());
                        registry.remove(b.out());
                    });
            active.keySet().stream().filter(s -> s.client().equals(client) && !rules.containsKey(s.rule())).toList()
                    .forEach(this::dropGauge);
        }
    }

    private double connected() {
        long now = System.currentTimeMillis();
        if (now - connectedReadAt > CONNECTED_CACHE_MILLIS) {
            try {
                connected = store.read(h -> ClientRepository.connectedCount(h, Instant.now()));
                connectedReadAt = now;
            } catch (RuntimeException e) {
                // keep the last value; the store gauges show the outage
            }
        }
        return connected;
    }

    private Counter counter(String name, Series s) {
        // No base unit: Prometheus would append it to the name (…_bytes_in_bytes_total).
        return Counter.builder(name).tags(s.tags())
                .description("Bytes of accepted traffic reports since this process started").register(registry);
    }

    private Active gauge(Series s) {
        AtomicLong value = new AtomicLong();
        Gauge g = replace(ACTIVE, Gauge.builder(ACTIVE, value, AtomicLong::get)
                .description("Open TCP connections and UDP flows of a rule, as last reported"), s.tags());
        return new Active(value, new AtomicLong(), g);
    }

    /**
     * Registers a gauge, replacing one left under the same id: the registry can outlive one
     * application start (tests restart the application in one JVM), and registering again would
     * return the first start's gauge, still reading the first start's object.
     */
    private <T> Gauge replace(String name, Gauge.Builder<T> builder, Tags tags) {
        Meter old = registry.find(name).tags(tags).meter();
        if (old != null) {
            registry.remove(old);
        }
        return builder.tags(tags).strongReference(true).register(registry);
    }

    private void dropGauge(Series s) {
        Active a = active.remove(s);
        if (a != null) {
            registry.remove(a.gauge());
        }
    }
}
