package dev.portunus.traffic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Wire shapes of traffic accounting (06-traffic.md): the client's report, history reads, rule stats. */
public final class TrafficJson {

    private TrafficJson() {
    }

    /**
     * {@code POST /v1/client/traffic} (client listener). The values are taken as JSON nodes so that
     * each refusal carries the contract's code ({@code invalid_type}, {@code invalid_seq},
     * {@code invalid_counter} …) instead of the binder's generic one; {@link ReportValidator} checks
     * them. Unknown and repeated members are still the strict binder's.
     */
    public record Report(JsonNode bootId, JsonNode seq, JsonNode sentAt, List<ReportRule> rules) {
    }

    /** One rule of a report: counters cumulative since the boot started, bytes; the gauge is optional. */
    public record ReportRule(JsonNode ruleId, JsonNode bytesIn, JsonNode bytesOut, JsonNode activeConnections) {
    }

    /**
     * What the traffic area answers to a report: {@code result} is {@code accepted} or
     * {@code duplicate}; {@code server_time} RFC 3339; the client listener adds the quotas.
     */
    public record ReportResult(String result, String serverTime, int reportIntervalSecs, List<String> ignoredRuleIds) {
    }

    /** A history read (06-traffic.md §1.1); times are Unix seconds, bytes are sums over the route's scope. */
    @JsonPropertyOrder({"bucket", "samples", "total_bytes_in", "total_bytes_out"})
    public record Series(String bucket, List<Sample> samples, long totalBytesIn, long totalBytesOut) {
    }

    /** One bucket with stored data: {@code ts} is its start in Unix seconds (UTC, minute- or hour-aligned). */
    @JsonPropertyOrder({"ts", "bytes_in", "bytes_out"})
    public record Sample(long ts, long bytesIn, long bytesOut) {
    }

    /**
     * {@code GET /v1/rules/{id}/stats} and each frame of its stream (06-traffic.md §5.2): bytes are the
     * rule's counters in its client's current boot (cumulative since that client process started),
     * {@code active_connections} the last reported gauge (0 when none or stale). The client reports no
     * DNS, datagram or flow counters yet: those are 0. {@code updated_at} (RFC 3339) is when the
     * counters last changed, null before the first report.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RuleStats(String ruleId, String clientName, long bytesIn, long bytesOut, long activeConnections,
            long dnsFailures, long datagramsIn, long datagramsOut, long activeFlows, long flowsDroppedOverflow,
            String updatedAt, String protocol) {
    }
}
