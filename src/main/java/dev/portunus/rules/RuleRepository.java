package dev.portunus.rules;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;

/** SQL of {@code rules} and {@code rule_targets}; every method runs inside the caller's transaction. */
public final class RuleRepository {

    /** Cap column names, in the order of {@link RuleJson.RateLimit}'s components (same names in rate_limit_owner). */
    public static final String CAP_COLUMNS = "bandwidth_in_bps, bandwidth_out_bps, new_connections_per_sec, "
            + "concurrent_connections, bandwidth_in_burst, bandwidth_out_burst, new_connections_burst";

    private static final String SELECT = "SELECT id, client_id, owner_id, listen_port, listen_port_end, protocol, "
            + "target_host, target_port, target_port_end, prefer_ipv6, health_check_interval_secs, sni_pattern, "
            + CAP_COLUMNS + ", state, created_at, updated_at FROM rules";

    private RuleRepository() {
    }

    /** The parts of an existing rule that decide listen-port conflicts. */
    record Claim(String id, String sniPattern) {
    }

    static void insert(Handle h, String id, String owner, RuleValidator.Checked r, String now) throws SQLException {
        insert(h, new RuleJson.View(id, r.client(), owner, r.listenPort(), r.listenPortEnd(), r.protocol(), r.targetHost(),
                r.targetPort(), r.targetPortEnd(), r.targets(), r.preferIpv6(), r.healthCheckIntervalSecs(), r.sniPattern(),
                r.rateLimit(), "Pending", now, now));
    }

    /**
     * A rule with every column as given (a null rate limit means no caps), and one {@code rule_targets}
     * row per target, {@code idx} = its position. {@code import-legacy} carries old rules over this way
     * with their own times (05-legacy.md §6.5).
     */
    public static void insert(Handle h, RuleJson.View r) throws SQLException {
        List<Object> params = new ArrayList<>(Arrays.asList(r.ruleId(), r.client(), r.owner(), r.listenPort(),
                r.listenPortEnd(), r.protocol(), r.targetHost(), r.targetPort(), r.targetPortEnd(), r.preferIpv6(),
                r.healthCheckIntervalSecs(), r.sniPattern()));
        params.addAll(Arrays.asList(capValues(r.rateLimit() == null ? RuleJson.RateLimit.NONE : r.rateLimit())));
        params.addAll(Arrays.asList(r.state(), r.createdAt(), r.updatedAt()));
        h.update("INSERT INTO rules (id, client_id, owner_id, listen_port, listen_port_end, protocol, target_host, "
                + "target_port, target_port_end, prefer_ipv6, health_check_interval_secs, sni_pattern, "
                + CAP_COLUMNS + ", state, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params.toArray());
        List<RuleJson.TargetView> targets = r.targets() == null ? List.of() : r.targets();
        for (int i = 0; i < targets.size(); i++) {
            RuleJson.TargetView t = targets.get(i);
            h.update("INSERT INTO rule_targets (rule_id, idx, host, port, priority, proxy_protocol) VALUES (?, ?, ?, ?, ?, ?)",
                    r.ruleId(), i, t.host(), t.port(), t.priority(), t.proxyProtocol());
        }
    }

    /** One rule with its targets; public for the areas above that show a rule's data (traffic stats). */
    public static Optional<RuleJson.View> find(Handle h, String id) throws SQLException {
        List<RuleJson.View> found = withTargets(h, h.query(SELECT + " WHERE id = ?", RuleRepository::row, id));
        return found.stream().findFirst();
    }

    /** Every rule, optionally filtered by client and owner, oldest first. */
    public static List<RuleJson.View> list(Handle h, String client, String owner) throws SQLException {
        return withTargets(h, h.query(SELECT + " WHERE (?1 IS NULL OR client_id = ?1) AND (?2 IS NULL OR owner_id = ?2)"
                + " ORDER BY created_at, id", RuleRepository::row, client, owner));
    }

    /** Rules on the same client and protocol whose listen range overlaps {@code [start, end]}. */
    static List<Claim> overlapping(Handle h, String client, String protocol, int start, int end) throws SQLException {
        return h.query("SELECT id, sni_pattern FROM rules WHERE client_id = ? AND protocol = ? "
                + "AND listen_port <= ? AND listen_port_end >= ?",
                rs -> new Claim(Handle.text(rs, 1), Handle.text(rs, 2)), client, protocol, end, start);
    }

    static int updateRateLimit(Handle h, String id, RuleJson.RateLimit limit, String now) throws SQLException {
        List<Object> params = new ArrayList<>(Arrays.asList(capValues(limit)));
        params.add(now);
        params.add(id);
        return h.update("UPDATE rules SET " + CAP_COLUMNS.replace(",", " = ?,") + " = ?, updated_at = ? WHERE id = ?",
                params.toArray());
    }

    static int delete(Handle h, String id) throws SQLException {
        return h.update("DELETE FROM rules WHERE id = ?", id); // rule_targets cascade
    }

    /** Ids of the rules owned by {@code userId}, by id. */
    static List<String> idsOwnedBy(Handle h, String userId) throws SQLException {
        return h.query("SELECT id FROM rules WHERE owner_id = ? ORDER BY id", rs -> Handle.text(rs, 1), userId);
    }

    /** Ids of the rules on {@code clientId}, by id. */
    static List<String> idsOnClient(Handle h, String clientId) throws SQLException {
        return h.query("SELECT id FROM rules WHERE client_id = ? ORDER BY id", rs -> Handle.text(rs, 1), clientId);
    }

    /**
     * Rule id → owner id of every rule on {@code clientId}: what a traffic report of that client may
     * name (06-traffic.md §2.2, the owner always comes from here, never from the client).
     */
    public static Map<String, String> ownersOnClient(Handle h, String clientId) throws SQLException {
        Map<String, String> owners = new java.util.HashMap<>();
        h.query("SELECT id, owner_id FROM rules WHERE client_id = ?", rs -> owners.put(Handle.text(rs, 1), Handle.text(rs, 2)), clientId);
        return owners;
    }

    /** The rules of {@code userId} as the coverage rule sees them: client, listen range, protocol. */
    static List<Claimed> claimsOf(Handle h, String userId) throws SQLException {
        return h.query("SELECT id, client_id, listen_port, listen_port_end, protocol FROM rules WHERE owner_id = ? ORDER BY id",
                rs -> new Claimed(Handle.text(rs, 1), Handle.text(rs, 2), rs.getInt(3), rs.getInt(4), Handle.text(rs, 5)), userId);
    }

    /** A rule's place: what a grant must cover. */
    record Claimed(String id, String client, int listenPort, int listenPortEnd, String protocol) {
    }

    /** Owner id → number of rules on {@code clientId}, by owner id. */
    public static java.util.Map<String, Long> ruleCountsByOwner(Handle h, String clientId) throws SQLException {
        java.util.Map<String, Long> counts = new LinkedHashMap<>();
        h.query("SELECT owner_id, count(*) FROM rules WHERE client_id = ? GROUP BY owner_id ORDER BY owner_id",
                rs -> counts.put(Handle.text(rs, 1), rs.getLong(2)), clientId);
        return counts;
    }

    /** The values to bind to {@link #CAP_COLUMNS}. */
    public static Object[] capValues(RuleJson.RateLimit r) {
        return new Object[] {r.bandwidthInBps(), r.bandwidthOutBps(), r.newConnectionsPerSec(), r.concurrentConnections(),
            r.bandwidthInBurst(), r.bandwidthOutBurst(), r.newConnectionsBurst()};
    }

    /** Reads {@link #CAP_COLUMNS} from a row; null when no cap is set. */
    public static RuleJson.RateLimit readCaps(ResultSet rs) throws SQLException {
        RuleJson.RateLimit r = new RuleJson.RateLimit(longOrNull(rs, "bandwidth_in_bps"), longOrNull(rs, "bandwidth_out_bps"),
                longOrNull(rs, "new_connections_per_sec"), longOrNull(rs, "concurrent_connections"),
                longOrNull(rs, "bandwidth_in_burst"), longOrNull(rs, "bandwidth_out_burst"),
                longOrNull(rs, "new_connections_burst"));
        return r.isEmpty() ? null : r;
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static RuleJson.View row(ResultSet rs) throws SQLException {
        return new RuleJson.View(Handle.text(rs, "id"), Handle.text(rs, "client_id"), Handle.text(rs, "owner_id"),
                rs.getInt("listen_port"), rs.getInt("listen_port_end"), Handle.text(rs, "protocol"),
                Handle.text(rs, "target_host"), intOrNull(rs, "target_port"), intOrNull(rs, "target_port_end"), null,
                rs.getInt("prefer_ipv6") == 1, intOrNull(rs, "health_check_interval_secs"), Handle.text(rs, "sni_pattern"),
                readCaps(rs), Handle.text(rs, "state"), Handle.text(rs, "created_at"), Handle.text(rs, "updated_at"));
    }

    private static List<RuleJson.View> withTargets(Handle h, List<RuleJson.View> rules) throws SQLException {
        if (rules.isEmpty()) {
            return rules;
        }
        Map<String, List<RuleJson.Target>> byRule = new LinkedHashMap<>();
        // One statement text for any number of rules (the ids as one JSON array), not an IN list
        // per count: the store keeps prepared statements by their text.
        String ids = rules.stream().map(r -> '"' + new String(JsonStringEncoder.getInstance().quoteAsString(r.ruleId())) + '"')
                .collect(Collectors.joining(",", "[", "]"));
        h.query("SELECT rule_id, host, port, priority, proxy_protocol FROM rule_targets "
                + "WHERE rule_id IN (SELECT value FROM json_each(?)) ORDER BY rule_id, idx",
                rs -> byRule.computeIfAbsent(Handle.text(rs, 1), k -> new ArrayList<>())
                        .add(new RuleJson.Target(Handle.text(rs, 2), rs.getInt(3), rs.getInt(4), Handle.text(rs, 5))), ids);
        return rules.stream().map(r -> byRule.containsKey(r.ruleId()) ? withTargetList(r, byRule.get(r.ruleId())) : r).toList();
    }

    private static RuleJson.View withTargetList(RuleJson.View r, List<RuleJson.Target> targets) {
        return new RuleJson.View(r.ruleId(), r.client(), r.owner(), r.listenPort(), r.listenPortEnd(), r.protocol(),
                r.targetHost(), r.targetPort(), r.targetPortEnd(), targets, r.preferIpv6(), r.healthCheckIntervalSecs(),
                r.sniPattern(), r.rateLimit(), r.state(), r.createdAt(), r.updatedAt());
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
