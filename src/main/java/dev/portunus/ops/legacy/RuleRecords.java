package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.ops.legacy.ImportPlan.RuleRow;
import dev.portunus.ops.legacy.ImportPlan.RuleTargetRow;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * {@code rules.json} records → {@code rules} and {@code rule_targets} rows (05-legacy.md §5, §6.5),
 * in either shape: the {@code {"version":1,"rules":[…]}} wrapper or a saved {@code GET /v1/rules}
 * array (the "dump", §5.3).
 */
final class RuleRecords {

    private static final Set<String> FIELDS = Set.of("id", "client_name", "listen_port", "listen_port_end",
            "target_host", "target_port", "target_port_end", "prefer_ipv6", "protocol", "state", "created_at",
            "last_state_change_at", "owner_user_id", "targets", "health_check_interval_secs");
    private static final Set<String> TARGET_FIELDS = Set.of("host", "port", "priority");
    // The dump's per-target health is live state of the old server, not configuration: ignored.
    private static final Set<String> DUMP_TARGET_FIELDS = Set.of("host", "port", "priority", "health");
    /** Ours and v0.7's limit alike. */
    private static final int MAX_TARGETS = 8;
    private static final int MAX_PRIORITY = 99;
    private static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final int MAX_HEALTH_CHECK_SECS = 86_400;

    /** The legacy states that survive the field checks, in the order §7.3 phase 6 keeps them. */
    enum State { ACTIVE, FAILED, PENDING }

    record Target(String host, int port, int priority) {
    }

    /**
     * A rule that passed its field checks. {@code legacyId} holds the unsigned 64-bit id's bits;
     * {@code targets} is null for a single-target rule, whose target is in the {@code target*} fields.
     */
    record Rule(long legacyId, String clientName, String ownerRef, int listenPort, int listenPortEnd, String protocol,
            State state, String targetHost, Integer targetPort, Integer targetPortEnd, List<Target> targets,
            boolean preferIpv6, Integer healthCheckIntervalSecs, Instant createdAt, Instant updatedAt) {

        String legacyIdText() {
            return Long.toUnsignedString(legacyId);
        }
    }

    final Section<Rule> section;
    private final boolean dump;
    private final ClientRecords clients;
    private final IdentityRecords identity;
    /** Legacy id → new id, for the rules that are in, in record order. */
    private final Map<String, String> ids = new LinkedHashMap<>();

    /**
     * @param records the rule array (the wrapper's {@code rules}, or the dump itself), null when absent
     * @param dump    whether the file is the bare-array shape of §5.3
     */
    RuleRecords(JsonNode records, boolean dump, ClientRecords clients, IdentityRecords identity,
            LongFunction<String> newId) {
        this.dump = dump;
        this.clients = clients;
        this.identity = identity;
        section = new Section<>(RecordKind.RULE, records, Keys::integer);
        section.parse(this::rule);
        section.each(e -> {
            clients.resolve(e.value.clientName());
            identity.user(e.value.ownerRef());
        });
        skipConflicts();
        section.each(e -> {
            Rule r = e.value;
            if (clients.resolve(r.clientName()).revokedAt() != null) {
                e.warn(WarningCode.RULE_ON_REVOKED_CLIENT);
            }
            IdentityRecords.User owner = identity.user(r.ownerRef());
            if (!owner.superadmin()
                    && !identity.granted(owner, r.clientName(), r.listenPort(), r.listenPortEnd(), r.protocol())) {
                e.warn(WarningCode.RULE_OUTSIDE_GRANTS);
            }
        });
        section.each(e -> ids.put(e.value.legacyIdText(), newId.apply(LegacyValues.idTime(e.value.createdAt()))));
    }

    private Rule rule(Section.Entry<Rule> e) {
        RecordFields f = RecordFields.of(e, FIELDS);
        long id = unsignedId(f.raw("id"));
        String client = f.text("client_name");
        if (!LegacyValues.isClientName(client)) {
            throw new SkipRecord(SkipReason.INVALID_CLIENT_NAME);
        }
        int listen = (int) f.integer("listen_port", 1, 65535, SkipReason.INVALID_PORT_RANGE);
        int listenEnd = (int) f.optionalInteger("listen_port_end", listen, 65535, SkipReason.INVALID_PORT_RANGE, listen);
        String protocol = protocol(e, f.text("protocol"));
        String stateKind = stateKind(e, f);
        String targetHost = f.text("target_host");
        long targetPort = f.integer("target_port", Long.MIN_VALUE, Long.MAX_VALUE, SkipReason.INVALID_RECORD);
        boolean preferIpv6 = f.bool("prefer_ipv6", false, true);

        boolean[] normalized = {false};
        List<Target> targets = targets(e, f, targetHost, targetPort, normalized);
        String host = null;
        Integer port = null;
        Integer portEnd = null;
        if (targets == null) {
            host = host(targetHost, normalized);
            if (targetPort < 1 || targetPort > 65535) {
                throw new SkipRecord(SkipReason.INVALID_TARGET);
            }
            port = (int) targetPort;
            portEnd = (int) f.optionalInteger("target_port_end", port, 65535, SkipReason.INVALID_PORT_RANGE, port);
            if (portEnd - port != listenEnd - listen) {
                throw new SkipRecord(SkipReason.PORT_RANGE_MISMATCH);
            }
        } else if (listenEnd != listen) {
            throw new SkipRecord(SkipReason.PORT_RANGE_MISMATCH);
        }
        if (normalized[0]) {
            e.warn(WarningCode.TARGET_HOST_NORMALIZED);
        }

        Integer health = null;
        if (!f.isNone("health_check_interval_secs")) {
            health = (int) f.integer("health_check_interval_secs", 0, MAX_HEALTH_CHECK_SECS, SkipReason.INVALID_HEALTH_CHECK);
            if (health == 0) {
                // v0.7 never wrote 0 (1..3600); ours has no "0 = off", absent is off.
                e.warn(WarningCode.HEALTH_CHECK_ZERO_DROPPED);
                health = null;
            }
        }
        Instant created = f.timestamp("created_at");
        Instant updated = f.timestamp("last_state_change_at");
        if (f.isNone("owner_user_id")) {
            throw new SkipRecord(SkipReason.OWNER_MISSING);
        }
        String owner = f.text("owner_user_id");
        if (stateKind.equals("removed")) {
            throw new SkipRecord(SkipReason.RULE_REMOVED);
        }
        State state = State.valueOf(stateKind.toUpperCase(Locale.ROOT));
        if (state == State.FAILED) {
            e.warn(WarningCode.RULE_WAS_FAILED,
                    new ReportEvent.Field("failed_reason", f.raw("state").get("reason").textValue()));
        }
        return new Rule(id, client, owner, listen, listenEnd, protocol, state, host, port, portEnd, targets, preferIpv6,
                health, created, updated);
    }

    /** u64 (§5.1); a rule without a usable id is the 003/004 contract shape, skipped (§5.2). */
    private static long unsignedId(JsonNode id) {
        if (id == null || !id.isIntegralNumber()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        BigInteger value = id.bigIntegerValue();
        if (value.signum() < 0 || value.bitLength() > 64) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        return value.longValue();
    }

    /** Lower case since v0.4; {@code Tcp}/{@code Udp} before (§5.2). */
    private static String protocol(Section.Entry<Rule> e, String given) {
        return switch (given) {
            case "tcp", "udp" -> given;
            case "Tcp", "Udp" -> {
                e.warn(WarningCode.PROTOCOL_ALIAS);
                yield given.toLowerCase(Locale.ROOT);
            }
            default -> throw new SkipRecord(SkipReason.INVALID_PROTOCOL);
        };
    }

    /** The {@code kind} of the tagged state object; a failed state must carry its reason text. */
    private static String stateKind(Section.Entry<Rule> e, RecordFields f) {
        JsonNode state = f.raw("state");
        if (state == null || !state.isObject()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        JsonNode kind = state.get("kind");
        String k = kind != null && kind.isTextual() ? kind.textValue() : "";
        switch (k) {
            case "pending", "active", "removed" -> f.nested(state, Set.of("kind"), "state.");
            case "failed" -> {
                JsonNode reason = f.nested(state, Set.of("kind", "reason"), "state.").raw("reason");
                if (reason == null || !reason.isTextual()) {
                    throw new SkipRecord(SkipReason.INVALID_STATE);
                }
            }
            default -> throw new SkipRecord(SkipReason.INVALID_STATE);
        }
        return k;
    }

    /**
     * The targets of a multi-target rule, or null for a single-target one: {@code targets} absent or
     * null, or, in the dump, one entry that only mirrors {@code target_host}/{@code target_port}
     * (§5.3). Priorities default to the entry's position; any above 99 are replaced by their dense
     * rank (§6.5).
     */
    private List<Target> targets(Section.Entry<Rule> e, RecordFields f, String targetHost, long targetPort, boolean[] normalized) {
        if (f.isNone("targets")) {
            return null;
        }
        JsonNode list = f.raw("targets");
        if (!list.isArray()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        if (dump && list.size() == 1 && mirrors(list.get(0), targetHost, targetPort)) {
            return null;
        }
        if (list.isEmpty() || list.size() > MAX_TARGETS) {
            throw new SkipRecord(SkipReason.INVALID_TARGET);
        }
        List<String> hosts = new ArrayList<>(list.size());
        List<Integer> ports = new ArrayList<>(list.size());
        List<Long> priorities = new ArrayList<>(list.size());
        Set<List<Object>> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            if (!t.isObject()) {
                throw new SkipRecord(SkipReason.INVALID_RECORD);
            }
            RecordFields tf = f.nested(t, dump ? DUMP_TARGET_FIELDS : TARGET_FIELDS, "targets[" + i + "].");
            String host = host(tf.text("host"), normalized);
            int port = (int) tf.integer("port", 1, 65535, SkipReason.INVALID_TARGET);
            priorities.add(tf.optionalInteger("priority", 0, MAX_U32, SkipReason.INVALID_TARGET, i));
            if (!seen.add(List.of(host, port))) {
                throw new SkipRecord(SkipReason.INVALID_TARGET);
            }
            hosts.add(host);
            ports.add(port);
        }
        boolean rerank = priorities.stream().anyMatch(p -> p > MAX_PRIORITY);
        int[] ranks = rerank ? LegacyValues.denseRank(priorities) : null;
        if (rerank) {
            e.warn(WarningCode.TARGET_PRIORITY_RERANKED);
        }
        List<Target> out = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            out.add(new Target(hosts.get(i), ports.get(i), rerank ? ranks[i] : priorities.get(i).intValue()));
        }
        return out;
    }

    private static boolean mirrors(JsonNode target, String host, long port) {
        JsonNode h = target.get("host");
        JsonNode p = target.get("port");
        return h != null && h.isTextual() && h.textValue().equals(host)
                && p != null && p.isIntegralNumber() && p.canConvertToLong() && p.longValue() == port;
    }

    private static String host(String given, boolean[] normalized) {
        String host = LegacyValues.normalizeHost(given);
        if (host == null) {
            throw new SkipRecord(SkipReason.INVALID_TARGET);
        }
        normalized[0] |= !host.equals(given);
        return host;
    }

    /**
     * §7.3 phase 6: per client and protocol, rules are kept in the order active, failed, pending,
     * then by creation time and legacy id; a rule whose listen range meets one already kept is skipped.
     */
    private void skipConflicts() {
        Map<List<String>, List<Section.Entry<Rule>>> groups = new LinkedHashMap<>();
        section.alive().forEach(e -> groups.computeIfAbsent(List.of(e.value.clientName(), e.value.protocol()),
                k -> new ArrayList<>()).add(e));
        Comparator<Section.Entry<Rule>> order = Comparator.<Section.Entry<Rule>, State>comparing(e -> e.value.state())
                .thenComparing(e -> e.value.createdAt())
                .thenComparing((a, b) -> Long.compareUnsigned(a.value.legacyId(), b.value.legacyId()));
        for (List<Section.Entry<Rule>> group : groups.values()) {
            group.sort(order);
            // Kept ranges are disjoint, so the one starting last at or before a range's end is the only candidate overlap.
            TreeMap<Integer, Integer> kept = new TreeMap<>();
            for (Section.Entry<Rule> e : group) {
                Map.Entry<Integer, Integer> before = kept.floorEntry(e.value.listenPortEnd());
                if (before != null && before.getValue() >= e.value.listenPort()) {
                    e.skip(SkipReason.LISTEN_PORT_CONFLICT);
                } else {
                    kept.put(e.value.listenPort(), e.value.listenPortEnd());
                }
            }
        }
    }

    List<RuleRow> rows() {
        return section.alive().stream().map(e -> e.value).map(r -> new RuleRow(ids.get(r.legacyIdText()),
                clients.resolve(r.clientName()).id(), identity.user(r.ownerRef()).id(), r.listenPort(), r.listenPortEnd(),
                r.targetHost(), r.targetPort(), r.targetPortEnd(), r.protocol(), null, r.preferIpv6() ? 1 : 0,
                r.healthCheckIntervalSecs(), null, null, null, null, null, null, null, "Pending",
                LegacyValues.format(r.createdAt()), LegacyValues.format(r.updatedAt()))).toList();
    }

    List<RuleTargetRow> targetRows() {
        List<RuleTargetRow> out = new ArrayList<>();
        for (Section.Entry<Rule> e : section.alive()) {
            List<Target> targets = e.value.targets();
            for (int i = 0; targets != null && i < targets.size(); i++) {
                Target t = targets.get(i);
                out.add(new RuleTargetRow(ids.get(e.value.legacyIdText()), i, t.host(), t.port(), t.priority(), null));
            }
        }
        return out;
    }

    /** Legacy rule id (unsigned decimal) → new rule id, in record order. */
    Map<String, String> ids() {
        return ids;
    }
}
