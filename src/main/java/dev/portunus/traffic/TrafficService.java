package dev.portunus.traffic;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.clients.ClientJson;
import dev.portunus.clients.ClientRepository;
import dev.portunus.config.PortunusConfig;
import dev.portunus.rules.RuleJson;
import dev.portunus.rules.RuleService;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Traffic history reads (06-traffic.md §1) and rule stats (§5.2). Role checks are the resources'
 * ({@code @Allow}); existence (404) comes after them and before the query checks of
 * {@link TrafficQuery}, all inside one read transaction.
 */
@ApplicationScoped
public class TrafficService {

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    @Inject
    TrafficMetrics metrics;

    @Inject
    RuleService rules;

    /** Every user and client (superadmin). */
    public TrafficJson.Series global(Map<String, List<String>> query) {
        return store.read(h -> series(h, new TrafficRepository.Scope(null, null), query));
    }

    /** One user's traffic over all its clients, or one ({@code client_id}); 404 for an unknown user. */
    public TrafficJson.Series ofUser(String userId, Map<String, List<String>> query) {
        return store.read(h -> {
            if (!UserRepository.exists(h, userId)) {
                throw ApiException.notFound("user");
            }
            return series(h, new TrafficRepository.Scope(userId, TrafficQuery.filter(query, "client_id")), query);
        });
    }

    /** One client's traffic over all its users, or one ({@code user_id}); revoked clients keep their history. */
    public TrafficJson.Series ofClient(String clientId, Map<String, List<String>> query) {
        return store.read(h -> {
            if (!ClientRepository.exists(h, clientId)) {
                throw ApiException.notFound("client");
            }
            return series(h, new TrafficRepository.Scope(TrafficQuery.filter(query, "user_id"), clientId), query);
        });
    }

    private TrafficJson.Series series(Handle h, TrafficRepository.Scope scope, Map<String, List<String>> query)
            throws SQLException {
        TrafficQuery.Window w = TrafficQuery.parse(query, Instant.now().getEpochSecond(),
                config.settings().trafficRetention1mDays() * 86_400L, config.settings().trafficRetention1hDays() * 86_400L);
        List<TrafficRepository.Bucket> buckets = w.hourly()
                ? TrafficRepository.hours(h, scope, text(TrafficQuery.ceilHour(w.from())), text(TrafficQuery.ceilHour(w.to())))
                : TrafficRepository.minutes(h, scope, text(TrafficQuery.clamp(w.from())), text(TrafficQuery.clamp(w.to())));
        List<TrafficJson.Sample> samples = new ArrayList<>(buckets.size());
        long in = 0;
        long out = 0;
        for (TrafficRepository.Bucket b : buckets) {
            samples.add(new TrafficJson.Sample(b.ts(), b.bytesIn(), b.bytesOut()));
            in = ReportService.saturatedAdd(in, b.bytesIn());
            out = ReportService.saturatedAdd(out, b.bytesOut());
        }
        return new TrafficJson.Series(w.bucket(), samples, in, out);
    }

    /**
     * The live counters of a rule its caller may see (its owner or a superadmin; anyone else gets 404
     * like for the rule itself).
     */
    public TrafficJson.RuleStats ruleStats(Caller caller, String ruleId) {
        RuleJson.View rule = rules.get(caller, ruleId);
        return store.read(h -> {
            String clientName = ClientRepository.find(h, rule.client(), Instant.now()).map(ClientJson.View::clientName).orElse(null);
            TrafficRepository.Counter c = TrafficRepository.counter(h, rule.client(), ruleId)
                    .orElse(new TrafficRepository.Counter(0, 0, null));
            return new TrafficJson.RuleStats(ruleId, clientName, c.bytesIn(), c.bytesOut(),
                    metrics.activeConnections(rule.client(), ruleId, rule.owner()), 0, 0, 0, 0, 0, c.updatedAt(), rule.protocol());
        });
    }

    private static String text(long secs) {
        return Timestamps.format(Instant.ofEpochSecond(secs));
    }
}
