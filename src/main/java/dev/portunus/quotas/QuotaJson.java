package dev.portunus.quotas;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Wire shapes of the monthly traffic quotas. */
public final class QuotaJson {

    private QuotaJson() {
    }

    /**
     * PUT (create or replace: absent optional fields take their defaults) and PATCH (absent = unchanged).
     * {@code clear_period_usage: true} restarts the current period's usage (06-traffic.md §5.7): see
     * {@link QuotaService#countingStart}.
     */
    public record Body(Long monthlyBytes, Integer resetDay, String action, Boolean clearPeriodUsage) {
    }

    /**
     * A quota with its usage in the current period. The fields after {@code updated_at} are the web UI's
     * (06-traffic.md §5.6, §7.3), derived from the traffic samples: times in Unix seconds,
     * {@code budget_remaining_bytes = monthly_bytes − current_period_bytes_used} (negative once over),
     * {@code exhausted} = used ≥ monthly, {@code exhausted_at} always null (usage is summed from samples,
     * no crossing is recorded), {@code billing_anchor} = start of the period the quota was created in.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String userId, String clientId, long monthlyBytes, int resetDay, String action,
            String createdAt, String updatedAt, String clientName, long currentPeriodBytesUsed,
            long currentPeriodStartedAt, long currentPeriodEndsAt, long budgetRemainingBytes, boolean exhausted,
            Long exhaustedAt, long billingAnchor) {
    }

    /**
     * One quota of a client as the answer to its traffic report carries it (06-traffic.md §2.2): the
     * {@link Status} of that quota, bytes, {@code period_end} RFC 3339.
     */
    public record ClientQuota(String userId, long monthlyBytes, long usedBytes, long remainingBytes, boolean exceeded,
            String action, String periodEnd) {
    }

    /**
     * Usage in the current quota period, which starts on {@code reset_day} at 00:00 UTC; bytes count
     * from {@code usage_counted_from} (the period start, or the hour after a clear within the period).
     * The web UI's fields of {@link View} follow.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Status(String userId, String clientId, long monthlyBytes, int resetDay, String action,
            String periodStart, String periodEnd, long bytesIn, long bytesOut, long usedBytes, long remainingBytes,
            boolean exceeded, String usageCountedFrom, String clientName, long currentPeriodBytesUsed,
            long currentPeriodStartedAt, long currentPeriodEndsAt, long budgetRemainingBytes, boolean exhausted,
            Long exhaustedAt, long billingAnchor) {
    }
}
