package dev.portunus.rules;

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
            List<Target> targets,
            boolean preferIpv6,
            Integer healthCheckIntervalSecs,
            String sniPattern,
            RateLimit rateLimit,
            String state,
            String createdAt,
            String updatedAt) {
    }
}
