package dev.portunus.traffic;

import dev.portunus.api.ApiException;
import dev.portunus.clients.ClientJson;
import dev.portunus.clients.ClientRepository;
import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.rules.RuleRepository;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traffic reports of the clients (06-traffic.md §2.2): cumulative per-rule counters in, per-owner
 * minute samples out, exactly once. A report is applied in one {@code BEGIN IMMEDIATE} transaction —
 * dedup by (boot_id, seq), boot change, per-rule deltas against the persisted baselines, the additive
 * minute upsert at the server's receipt minute, "last seen" — so a retry, a server crash or a restart
 * never counts bytes twice. The in-memory series follow after the commit.
 */
@ApplicationScoped
public class ReportService {

    /** More than this many reports within one second from one client are refused (429). */
    static final int MAX_REPORTS_PER_SECOND = 5;
    /** A {@code sent_at} further than this from the server clock is logged (never refused). */
    static final long SKEW_LOG_SECS = 120;
    static final Duration SKEW_LOG_EVERY = Duration.ofHours(1);
    static final Duration REJECT_LOG_EVERY = Duration.ofMinutes(1);

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    @Inject
    TrafficMetrics metrics;

    private volatile InstantSource clock = InstantSource.system();
    private final ReportLimiter limiter = new ReportLimiter(MAX_REPORTS_PER_SECOND, Duration.ofSeconds(1));
    private final Map<String, Instant> skewLogged = new ConcurrentHashMap<>();
    private final Map<String, long[]> rejectLogged = new ConcurrentHashMap<>();

    /** Tests pin the receipt time (the minute a report lands in). */
    void useClock(InstantSource clock) {
        this.clock = clock;
    }

    /**
     * Admits one more report of {@code clientId} or refuses it with 429 {@code rate_limited} (the
     * caller answers {@code Retry-After: 1}); logs {@code traffic.report_rejected} at most once a
     * minute per client, with how many were refused since the last line.
     */
    public void admit(String clientId) {
        if (limiter.admit(clientId, System.nanoTime())) {
            return;
        }
        long now = System.nanoTime();
        long[] log = rejectLogged.computeIfAbsent(clientId, k -> new long[] {now - REJECT_LOG_EVERY.toNanos() - 1, 0});
        synchronized (log) {
            log[1]++;
            if (now - log[0] > REJECT_LOG_EVERY.toNanos()) {
                Event.of(EventName.TRAFFIC_REPORT_REJECTED).with("reason", "rate_limited").with("client_id", clientId)
                        .with("refused", log[1]).hint("the client sends more than " + MAX_REPORTS_PER_SECOND
                                + " reports a second; it should report every " + config.traffic().reportIntervalSecs() + " s")
                        .warn();
                log[0] = now;
                log[1] = 0;
            }
        }
        throw new ApiException(429, "rate_limited", "more than " + MAX_REPORTS_PER_SECOND
                + " reports in one second from this client; resend the same report later");
    }

    /**
     * Records that the client listener answered a report request {@code nanos} after it arrived
     * ({@code portunus_traffic_report_duration_seconds}).
     */
    public void answered(long nanos) {
        metrics.answered(nanos);
    }

    /** Counts a report the client listener refused (any status but 200) in {@code portunus_traffic_reports_total}. */
    public void countRejected() {
        metrics.rejected();
    }

    /**
     * Applies one report of the active client {@code who}. 422 for a body that fails
     * {@link ReportValidator}; 409 {@code stale_boot} for the boot before the current one; 401 when the
     * client was revoked meanwhile; 503 {@code store_unavailable} when the store fails (nothing
     * applied: the client resends the same {@code seq}, which then applies once).
     */
    public TrafficJson.ReportResult report(ClientRepository.Active who, TrafficJson.Report body) {
        ReportValidator.Checked report = ReportValidator.check(body);
        Instant now = clock.instant();
        logSkew(who.clientId(), report.sentAt(), now);
        Applied applied = store.write(h -> apply(h, who.clientId(), report, now));
        if (applied == null) {
            metrics.duplicate();
        } else {
            metrics.accepted(who.clientId(), applied.rules(), now);
        }
        return new TrafficJson.ReportResult(applied == null ? "duplicate" : "accepted", Timestamps.format(now),
                config.traffic().reportIntervalSecs(), applied == null ? List.of() : applied.ignored());
    }

    /** What a committed report changed, for the series and the answer. */
    private record Applied(List<TrafficMetrics.RuleDelta> rules, List<String> ignored) {
    }

    /** Steps 1–8 of 06-traffic.md §2.2 in the caller's transaction; null for a duplicate. */
    private static Applied apply(Handle h, String clientId, ReportValidator.Checked r, Instant now) throws SQLException {
        ClientJson.View client = ClientRepository.find(h, clientId, now).filter(c -> c.revokedAt() == null)
                .orElseThrow(ApiException::unauthenticated);
        String at = Timestamps.format(now);
        Optional<TrafficRepository.ReportState> state = TrafficRepository.reportState(h, clientId);
        if (state.isPresent() && state.get().bootId().equals(r.bootId())) {
            if (r.seq() <= state.get().lastSeq()) {
                return null;
            }
            TrafficRepository.saveReportState(h, clientId, r.bootId(), r.seq(), state.get().prevBootId(), at);
        } else if (state.isPresent() && r.bootId().equals(state.get().prevBootId())) {
            throw new ApiException(409, "stale_boot", "boot_id " + r.bootId() + " is the previous run of this client; "
                    + "its reports are no longer accepted");
        } else {
            TrafficRepository.clearBaselines(h, clientId);
            TrafficRepository.saveReportState(h, clientId, r.bootId(), r.seq(), state.map(TrafficRepository.ReportState::bootId)
                    .orElse(null), at);
        }
        Map<String, String> owners = RuleRepository.ownersOnClient(h, clientId);
        Map<String, long[]> baselines = TrafficRepository.baselines(h, clientId);
        List<String> ignored = new ArrayList<>();
        List<Object[]> changed = new ArrayList<>();
        List<TrafficMetrics.RuleDelta> deltas = new ArrayList<>();
        Map<String, long[]> perOwner = new LinkedHashMap<>();
        for (ReportValidator.Entry e : r.rules()) {
            String owner = owners.get(e.ruleId());
            if (owner == null) {
                ignored.add(e.ruleId()); // deleted, never existed, or another client's: one answer for all
                continue;
            }
            long[] base = baselines.getOrDefault(e.ruleId(), new long[2]);
            long in = delta(e.bytesIn(), base[0]);
            long out = delta(e.bytesOut(), base[1]);
            if (e.bytesIn() != base[0] || e.bytesOut() != base[1]) {
                changed.add(new Object[] {clientId, e.ruleId(), e.bytesIn(), e.bytesOut(), at});
            }
            long[] sum = perOwner.computeIfAbsent(owner, k -> new long[2]);
            sum[0] = saturatedAdd(sum[0], in);
            sum[1] = saturatedAdd(sum[1], out);
            deltas.add(new TrafficMetrics.RuleDelta(e.ruleId(), owner, in, out, e.activeConnections()));
        }
        TrafficRepository.saveBaselines(h, changed);
        String minute = Timestamps.format(now.truncatedTo(ChronoUnit.MINUTES));
        List<Object[]> samples = new ArrayList<>();
        perOwner.forEach((owner, sum) -> {
            if (sum[0] != 0 || sum[1] != 0) {
                samples.add(new Object[] {owner, clientId, minute, sum[0], sum[1]});
            }
        });
        TrafficRepository.addToMinute(h, samples);
        ClientRepository.touchSeen(h, new ClientRepository.Active(clientId, client.clientName(), client.lastSeenAt()), now);
        return new Applied(deltas, ignored);
    }

    /** Bytes since the baseline; a counter below its baseline was reset within the boot (Prometheus rule). */
    static long delta(long cumulative, long baseline) {
        return cumulative >= baseline ? cumulative - baseline : cumulative;
    }

    /** {@code a + b} for byte counts (both >= 0), stuck at the int64 maximum instead of overflowing. */
    static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** {@code traffic.client_clock_skew}, at most once an hour per client; never a refusal. */
    private void logSkew(String clientId, Instant sentAt, Instant now) {
        if (sentAt == null) {
            return;
        }
        long skew = Duration.between(now, sentAt).getSeconds();
        if (Math.abs(skew) <= SKEW_LOG_SECS) {
            return;
        }
        Instant last = skewLogged.get(clientId);
        if (last == null || !now.isBefore(last.plus(SKEW_LOG_EVERY))) {
            skewLogged.put(clientId, now);
            Event.of(EventName.TRAFFIC_CLIENT_CLOCK_SKEW).with("client_id", clientId).with("skew_secs", skew)
                    .hint("the client's clock differs from the server's; samples use the server's receipt time").warn();
        }
    }
}
