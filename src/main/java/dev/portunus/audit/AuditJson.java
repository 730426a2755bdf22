package dev.portunus.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Wire shapes of {@code GET /v1/audit} (02-api.md "Audit"). */
public final class AuditJson {

    private AuditJson() {
    }

    /** {@code AuditEntry} on the wire. The field order is part of the legacy shape's byte-stability. */
    @JsonPropertyOrder({"timestamp", "actor", "role", "method", "path", "outcome", "reason"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String timestamp, String actor, String role, String method, String path, String outcome,
            String reason) {
    }

    /** The envelope shape; {@code next_cursor} is absent on the last page. */
    @JsonPropertyOrder({"entries", "next_cursor", "count"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<View> entries, String nextCursor, int count) {
    }
}
