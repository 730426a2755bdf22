package dev.portunus.rules;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of {@code rules} and {@code rule_targets}; every method runs inside the caller's transaction. */
public final class RuleRepository {

    private static final String SELECT = "SELECT id, client_id, owner_id, listen_port, listen_port_end, protocol, "
            + "target_host, target_port, target_port_end, prefer_ipv6, health_check_interval_secs, sni_pattern, "
            + RateLimit.COLUMNS + ", state, created_at, updated_at FROM rules";

    private RuleRepository() {
    }

    /** A grant row as far as the envelope check needs it. */
    record Grant(String id, String userId, String client, int portStart, int portEnd, String protocols) {

        boolean coversClient(String clientId) {
            return client.equals("*") || client.equals(clientId);
        }

        boolean coversPorts(int start, int end) {
            return portStart <= start && end <= portEnd;
        }

        boolean coversProtocol(String protocol) {
            return protocols.equals("both") || protocols.equals(protocol);
        }

        boolean covers(String clientId, int start, int end, String protocol) {
            return coversClient(clientId) && coversPorts(start, end) && coversProtocol(protocol);
        }
    }

    /** The parts of an existing rule that decide listen-port conflicts. */
    record Claim(String id, String sniPattern) {
    }

    static void insert(Handle h, String id, String owner, RuleValidator.Checked r, String now) throws SQLException {
        List<Object> params = new ArrayList<>(Arrays.asList(id, r.client(), owner, r.listenPort(), r.listenPortEnd(),
                r.protocol(), r.targetHost(), r.targetPort(), r.targetPortEnd(), r.preferIpv6(),
                r.healthCheckIntervalSecs(), r.sniPattern()));
        params.addAll(Arrays.asList(r.rateLimit().values()));
        params.add(now);
        params.add(now);
        h.update("INSERT INTO rules (id, client_id, owner_id, listen_port, listen_port_end, protocol, target_host, "
                + "target_port, target_port_end, prefer_ipv6, health_check_interval_secs, sni_pattern, "
                + RateLimit.COLUMNS + ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                params.toArray());
        for (int i = 0; i < r.targets().size(); i++) {
            RuleJson.Target t = r.targets().get(i);
            h.update("INSERT INTO rule_targets (rule_id, idx, host, port, priority, proxy_protocol) VALUES (?, ?, ?, ?, ?, ?)",
                    id, i, t.host(), t.port(), t.priority(), t.proxyProtocol());
        }
    }

    static Optional<RuleJson.View> find(Handle h, String id) throws SQLException {
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
                rs -> new Claim(rs.getString(1), rs.getString(2)), client, protocol, end, start);
    }

    static int updateRateLimit(Handle h, String id, RateLimit limit, String now) throws SQLException {
        List<Object> params = new ArrayList<>(Arrays.asList(limit.values()));
        params.add(now);
        params.add(id);
        return h.update("UPDATE rules SET " + RateLimit.ASSIGNMENTS + ", updated_at = ? WHERE id = ?", params.toArray());
    }

    static int delete(Handle h, String id) throws SQLException {
        return h.update("DELETE FROM rules WHERE id = ?", id); // rule_targets cascade
    }

    static List<Grant> grantsOf(Handle h, String userId) throws SQLException {
        return h.query("SELECT id, user_id, client, listen_port_start, listen_port_end, protocols FROM grants "
                + "WHERE user_id = ? ORDER BY created_at, id", RuleRepository::grant, userId);
    }

    static boolean userExists(Handle h, String userId) throws SQLException {
        return h.count("SELECT count(*) FROM users WHERE id = ?", userId) > 0;
    }

    private static Grant grant(ResultSet rs) throws SQLException {
        return new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6));
    }

    private static RuleJson.View row(ResultSet rs) throws SQLException {
        return new RuleJson.View(rs.getString("id"), rs.getString("client_id"), rs.getString("owner_id"),
                rs.getInt("listen_port"), rs.getInt("listen_port_end"), rs.getString("protocol"),
                rs.getString("target_host"), intOrNull(rs, "target_port"), intOrNull(rs, "target_port_end"), null,
                rs.getInt("prefer_ipv6") == 1, intOrNull(rs, "health_check_interval_secs"), rs.getString("sni_pattern"),
                RateLimit.fromRow(rs), rs.getString("state"), rs.getString("created_at"), rs.getString("updated_at"));
    }

    private static List<RuleJson.View> withTargets(Handle h, List<RuleJson.View> rules) throws SQLException {
        if (rules.isEmpty()) {
            return rules;
        }
        Map<String, List<RuleJson.Target>> byRule = new LinkedHashMap<>();
        String ids = String.join(",", rules.stream().map(r -> "?").toList());
        h.query("SELECT rule_id, host, port, priority, proxy_protocol FROM rule_targets WHERE rule_id IN (" + ids
                + ") ORDER BY rule_id, idx", rs -> byRule.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new RuleJson.Target(rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5))),
                rules.stream().map(RuleJson.View::ruleId).toArray());
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
