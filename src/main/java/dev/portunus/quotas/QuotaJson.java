package dev.portunus.quotas;

/** Wire shapes of the monthly traffic quotas. */
public final class QuotaJson {

    private QuotaJson() {
    }

    /** PUT (create or replace: absent optional fields take their defaults) and PATCH (absent = unchanged). */
    public record Body(Long monthlyBytes, Integer resetDay, String action) {
    }

    public record View(String userId, String clientId, long monthlyBytes, int resetDay, String action,
            String createdAt, String updatedAt) {
    }

    /**
     * One quota of a client as the answer to its traffic report carries it (06-traffic.md §2.2): the
     * {@link Status} of that quota, bytes, {@code period_end} RFC 3339.
     */
    public record ClientQuota(String userId, long monthlyBytes, long usedBytes, long remainingBytes, boolean exceeded,
            String action, String periodEnd) {
    }

    /** Usage in the current quota period, which starts on {@code reset_day} at 00:00 UTC. */
    public record Status(String userId, String clientId, long monthlyBytes, int resetDay, String action,
            String periodStart, String periodEnd, long bytesIn, long bytesOut, long usedBytes, long remainingBytes,
            boolean exceeded) {
    }
}
