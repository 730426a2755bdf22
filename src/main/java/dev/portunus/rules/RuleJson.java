package dev.portunus.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Wire shapes of {@code /v1/rules} (02-api.md "Rules"). */
public final class RuleJson {

    private RuleJson() {
    }

    /**
     * Create body. {@code owner} is an addition to the spec's body: only a superadmin may name
     * another user as owner (the operator token must, as {@code _operator} is not a user).
     */
    public record Create(
            String client,
            String owner,
            Integer listenPort,
            Integer listenPortEnd,
            String targetHost,
            Integer targetPort,
            Integer targetPortEnd,
            String protocol,
            Boolean preferIpv6,
            List<Target> targets,
            Integer healthCheckIntervalSecs,
            String sniPattern,
            RateLimit rateLimit) {
    }

    public record Target(String host, Integer port, Integer priority, String proxyProtocol) {
    }

    /**
     * Caps of a rule and of a per-owner envelope: every cap optional and {@code > 0}; a burst needs
     * its rate and lies in {@code [rate, 4 × rate]} (checked by {@link RuleValidator#rateLimit}).
     */
    public record RateLimit(
            Long bandwidthInBps,
            Long bandwidthOutBps,
            Long newConnectionsPerSec,
            Long concurrentConnections,
            Long bandwidthInBurst,
            Long bandwidthOutBurst,
            Long newConnectionsBurst) {

        public static final RateLimit NONE = new RateLimit(null, null, null, null, null, null, null);

        public boolean isEmpty() {
            return this.equals(NONE);
        }
    }

    /** {@code PUT /v1/rules/{id}}: only the rate limit changes; absent or null clears every cap. */
    public record Update(RateLimit rateLimit) {
    }

    /**
     * A rule. {@code client_name} and {@code owner_user_id} are the web UI's names (06-traffic.md §5.10):
     * the client's current display name and the same value as {@code owner}.
     */
    public record View(
            String ruleId,
            String client,
            String owner,
            int listenPort,
            int listenPortEnd,
            String protocol,
            String targetHost,
            Integer targetPort,
            Integer targetPortEnd,
            List<TargetView> targets,
            boolean preferIpv6,
            Integer healthCheckIntervalSecs,
            String sniPattern,
            RateLimit rateLimit,
            String state,
            String createdAt,
            String updatedAt,
            String clientName,
            String ownerUserId) {

        /**
         * A rule from its stored columns ({@code targets} as stored, null for a single-target rule);
         * {@code client_name} is filled in later ({@link #withClientName}), {@code owner_user_id} is {@code owner}.
         */
        public View(String ruleId, String client, String owner, int listenPort, int listenPortEnd, String protocol,
                String targetHost, Integer targetPort, Integer targetPortEnd, List<Target> targets, boolean preferIpv6,
                Integer healthCheckIntervalSecs, String sniPattern, RateLimit rateLimit, String state, String createdAt,
                String updatedAt) {
            this(ruleId, client, owner, listenPort, listenPortEnd, protocol, targetHost, targetPort, targetPortEnd,
                    targets == null ? null : targets.stream().map(TargetView::of).toList(), preferIpv6, healthCheckIntervalSecs,
                    sniPattern, rateLimit, state, createdAt, updatedAt, null, owner);
        }

        /** The same rule with its client's display name. */
        public View withClientName(String name) {
            return new View(ruleId, client, owner, listenPort, listenPortEnd, protocol, targetHost, targetPort, targetPortEnd,
                    targets, preferIpv6, healthCheckIntervalSecs, sniPattern, rateLimit, state, createdAt, updatedAt, name,
                    ownerUserId);
        }
    }

    /**
     * A target as a rule view shows it: {@link Target} plus {@code health}, which is always {@code null}
     * (the web UI's "no health observed yet"; no data plane reports it), present so the UI sees the shape.
     */
    public record TargetView(String host, Integer port, Integer priority, String proxyProtocol,
            @JsonInclude(JsonInclude.Include.ALWAYS) Object health) {

        static TargetView of(Target t) {
            return new TargetView(t.host(), t.port(), t.priority(), t.proxyProtocol(), null);
        }
    }
}
