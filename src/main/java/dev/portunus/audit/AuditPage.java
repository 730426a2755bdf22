package dev.portunus.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The envelope shape of {@code GET /v1/audit}; {@code next_cursor} is absent on the last page. */
@JsonPropertyOrder({"entries", "next_cursor", "count"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditPage(List<AuditView> entries, String nextCursor, int count) {
}
