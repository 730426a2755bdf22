package dev.portunus.audit;

/**
 * One audit entry on its way to the store. Holds no secret by construction: who (actor id and
 * role), what (method and path without query), the outcome and the error code of a denial.
 */
public record AuditEntry(long enqueuedNanos, String ts, String actor, String role, String method, String path,
        String outcome, String reason, String correlationId) {
}
