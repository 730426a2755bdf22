package dev.portunus.ops.legacy;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code import-legacy} would write, and the report it prints (05-legacy.md §6, §7). Immutable.
 *
 * <p>Either a {@link #refusal()} (a file failed a §7.2 check, or there was nothing to import) with
 * no rows at all, or the rows per table of {@code V1__initial_schema.sql}, already normalised and
 * in insertion order (each list after the lists it references: users, client tokens, credentials,
 * grants, rules, rule targets), with the skips and warnings in report order and the id mappings.
 * The rows never include the {@code legacy_imported_at} setting or the audit row: the command adds
 * those in the same transaction (§9 Q6, Q7).
 */
public final class ImportPlan {

    /** A row of {@code users}. {@code disabled} and {@code passwordChangeRequired} are 0 or 1. */
    public record UserRow(String id, String role, String displayName, int disabled, String passwordHash,
            int passwordChangeRequired, String createdAt) {
    }

    /** A row of {@code credentials}; {@link #toString()} leaves out the hash and the label. */
    public record CredentialRow(String id, String userId, String tokenHash, String label, String status,
            String issuedAt, String revokedAt, String lastUsedAt) {

        @Override
        public String toString() {
            return "CredentialRow[id=" + id + ", userId=" + userId + ", status=" + status + ", issuedAt=" + issuedAt
                    + ", revokedAt=" + revokedAt + ", lastUsedAt=" + lastUsedAt + "]";
        }
    }

    /** A row of {@code grants}: {@code client} is a new client id or {@code *}; protocols is tcp, udp or both. */
    public record GrantRow(String id, String userId, String client, int listenPortStart, int listenPortEnd,
            String protocols, String note, String createdAt) {
    }

    /** A row of {@code client_tokens}; {@link #toString()} leaves out the hash. */
    public record ClientTokenRow(String id, String displayName, String tokenHash, String address, String issuedAt,
            String revokedAt, String lastSeenAt) {

        @Override
        public String toString() {
            return "ClientTokenRow[id=" + id + ", displayName=" + displayName + ", issuedAt=" + issuedAt
                    + ", revokedAt=" + revokedAt + "]";
        }
    }

    /**
     * A row of {@code rules}. A single-target rule has the target columns set and no
     * {@link RuleTargetRow}; a multi-target rule has them null. The SNI and rate-limit columns have no
     * legacy source and are always null; {@code state} is always {@code Pending} (§6.5).
     */
    public record RuleRow(String id, String clientId, String ownerId, int listenPort, int listenPortEnd,
            String targetHost, Integer targetPort, Integer targetPortEnd, String protocol, String sniPattern,
            int preferIpv6, Integer healthCheckIntervalSecs, Long bandwidthInBps, Long bandwidthOutBps,
            Long newConnectionsPerSec, Long concurrentConnections, Long bandwidthInBurst, Long bandwidthOutBurst,
            Long newConnectionsBurst, String state, String createdAt, String updatedAt) {
    }

    /** A row of {@code rule_targets}: {@code idx} 0..7, priority 0..99, {@code proxyProtocol} always null. */
    public record RuleTargetRow(String ruleId, int idx, String host, int port, int priority, String proxyProtocol) {
    }

    /** The rows to insert, one list per table. */
    public record Rows(List<UserRow> users, List<ClientTokenRow> clientTokens, List<CredentialRow> credentials,
            List<GrantRow> grants, List<RuleRow> rules, List<RuleTargetRow> ruleTargets) {

        public Rows {
            users = List.copyOf(users);
            clientTokens = List.copyOf(clientTokens);
            credentials = List.copyOf(credentials);
            grants = List.copyOf(grants);
            rules = List.copyOf(rules);
            ruleTargets = List.copyOf(ruleTargets);
        }

        static final Rows NONE = new Rows(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** The figures of {@code cli.import_complete}, also the audit row's reason (§9 Q7). */
    public record Counts(int users, int credentials, int grants, int clients, int rules, int ruleTargets,
            int skipped, int warnings) {

        /** The fields in the order §7.6 prints them. */
        public List<ReportEvent.Field> fields() {
            return List.of(new ReportEvent.Field("users", users), new ReportEvent.Field("credentials", credentials),
                    new ReportEvent.Field("grants", grants), new ReportEvent.Field("clients", clients),
                    new ReportEvent.Field("rules", rules), new ReportEvent.Field("rule_targets", ruleTargets),
                    new ReportEvent.Field("skipped", skipped), new ReportEvent.Field("warnings", warnings));
        }

        /** {@code users=N credentials=N ... warnings=N}. */
        public String summary() {
            StringBuilder out = new StringBuilder();
            for (ReportEvent.Field f : fields()) {
                out.append(out.isEmpty() ? "" : " ").append(f.key()).append('=').append(f.value());
            }
            return out.toString();
        }
    }

    /** A skip or a warning, in report order. */
    public sealed interface Notice permits Skip, Warning {

        ReportEvent toEvent();
    }

    /** A record left out: {@code index} is its 0-based position in its array, {@code key} its id or null. */
    public record Skip(String file, RecordKind kind, int index, String key, SkipReason reason) implements Notice {

        @Override
        public ReportEvent toEvent() {
            return ReportEvent.of(EventName.IMPORT_RECORD_SKIPPED, Event.Level.WARN, "file", file, "kind", kind.code(),
                    "index", index, "key", key, "reason", reason.code());
        }
    }

    /**
     * A warning. {@code kind}, {@code index} and {@code key} are null for warnings about a file or the
     * whole import; {@code details} are extra fields printed after {@code code} (such as the unknown
     * field's name or a user's new id).
     */
    public record Warning(String file, RecordKind kind, Integer index, String key, WarningCode code,
            List<ReportEvent.Field> details) implements Notice {

        public Warning {
            details = List.copyOf(details);
        }

        @Override
        public ReportEvent toEvent() {
            return ReportEvent.of(EventName.IMPORT_RECORD_WARNING, Event.Level.WARN, "file", file,
                    "kind", kind == null ? null : kind.code(), "index", index, "key", key, "code", code.code())
                    .plus(details);
        }
    }

    /** The import is refused; {@code file} is null for reasons that concern no single file. */
    public record Refusal(String file, RefusalReason reason) {

        public ReportEvent toEvent() {
            return ReportEvent.of(EventName.CLI_IMPORT_REFUSED, Event.Level.ERROR, "file", file, "reason", reason.code());
        }
    }

    /**
     * The id mappings the report prints after the summary, each in record order: reserved user ids to
     * their new ids (§7.5), legacy client names to new client ids (§6.1), legacy rule ids (unsigned
     * decimal) to new rule ids (§6.5).
     */
    public record Mappings(Map<String, String> userRenames, Map<String, String> clientIds,
            Map<String, String> ruleIds) {

        public Mappings {
            userRenames = ordered(userRenames);
            clientIds = ordered(clientIds);
            ruleIds = ordered(ruleIds);
        }

        private static Map<String, String> ordered(Map<String, String> map) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }

        static final Mappings NONE = new Mappings(Map.of(), Map.of(), Map.of());
    }

    private final Refusal refusal;
    private final Rows rows;
    private final List<Notice> notices;
    private final Mappings mappings;
    private final boolean enabledSuperadmin;
    private final Counts counts;

    ImportPlan(Refusal refusal, Rows rows, List<Notice> notices, Mappings mappings, boolean enabledSuperadmin) {
        this.refusal = refusal;
        this.rows = rows;
        this.notices = List.copyOf(notices);
        this.mappings = mappings;
        this.enabledSuperadmin = enabledSuperadmin;
        int skipped = (int) this.notices.stream().filter(Skip.class::isInstance).count();
        this.counts = new Counts(rows.users().size(), rows.credentials().size(), rows.grants().size(),
                rows.clientTokens().size(), rows.rules().size(), rows.ruleTargets().size(), skipped,
                this.notices.size() - skipped);
    }

    static ImportPlan refused(String file, RefusalReason reason) {
        return new ImportPlan(new Refusal(file, reason), Rows.NONE, List.of(), Mappings.NONE, false);
    }

    /** The file-level refusal, or null when the files passed §7.2. */
    public Refusal refusal() {
        return refusal;
    }

    /** The rows to insert; all lists empty after a refusal. */
    public Rows rows() {
        return rows;
    }

    /** Rows per table and the number of skips and warnings, as {@code cli.import_complete} prints them. */
    public Counts counts() {
        return counts;
    }

    /** Skips and warnings in report order: file warnings, then per kind by record index, then import-wide. */
    public List<Notice> notices() {
        return notices;
    }

    /** The skips of {@link #notices()}, in report order. */
    public List<Skip> skips() {
        return notices.stream().filter(Skip.class::isInstance).map(Skip.class::cast).toList();
    }

    /** The warnings of {@link #notices()}, in report order. */
    public List<Warning> warnings() {
        return notices.stream().filter(Warning.class::isInstance).map(Warning.class::cast).toList();
    }

    /** Renamed users, new client ids and new rule ids; empty after a refusal. */
    public Mappings mappings() {
        return mappings;
    }

    /**
     * Whether an enabled superadmin is among the users: onboarding is then closed, and the command
     * deletes a stale {@code onboarding_setup} row in the same transaction (§6.6).
     */
    public boolean enabledSuperadmin() {
        return enabledSuperadmin;
    }

    /** Whether the command may write these rows: no refusal, and under {@code --strict} no skip (§9 Q8). */
    public boolean writable(boolean strict) {
        return refusal == null && !(strict && counts.skipped() > 0);
    }

    /**
     * The report lines of §7.6 in print order. A file-level refusal is its one line. Otherwise every
     * skip and warning, then either {@code cli.import_complete} with the counts followed by one
     * {@code import.mapping kind=user|client|rule from=… to=…} line per mapping, or, when
     * {@code strict} and something was skipped, {@code cli.import_refused reason=records_skipped}.
     */
    public List<ReportEvent> report(boolean strict) {
        if (refusal != null) {
            return List.of(refusal.toEvent());
        }
        List<ReportEvent> out = new ArrayList<>(notices.size() + 1);
        notices.forEach(n -> out.add(n.toEvent()));
        if (!writable(strict)) {
            out.add(new Refusal(null, RefusalReason.RECORDS_SKIPPED).toEvent()
                    .plus(List.of(new ReportEvent.Field("skipped", counts.skipped()))));
            return out;
        }
        out.add(new ReportEvent(EventName.CLI_IMPORT_COMPLETE, Event.Level.INFO, counts.fields()));
        mapping(out, "user", mappings.userRenames());
        mapping(out, "client", mappings.clientIds());
        mapping(out, "rule", mappings.ruleIds());
        return out;
    }

    private static void mapping(List<ReportEvent> out, String kind, Map<String, String> map) {
        map.forEach((from, to) -> out.add(ReportEvent.of(EventName.IMPORT_MAPPING, Event.Level.INFO, "kind", kind,
                "from", from, "to", to)));
    }

    @Override
    public String toString() {
        return refusal != null ? "ImportPlan[" + refusal + "]" : "ImportPlan[" + counts.summary() + "]";
    }
}
