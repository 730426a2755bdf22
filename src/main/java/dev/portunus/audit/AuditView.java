package dev.portunus.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code AuditEntry} on the wire. The field order is part of the legacy shape's byte-stability. */
@JsonPropertyOrder({"timestamp", "actor", "role", "method", "path", "outcome", "reason"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditView(String timestamp, String actor, String role, String method, String path, String outcome,
        String reason) {
}
