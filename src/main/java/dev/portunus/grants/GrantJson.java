package dev.portunus.grants;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Wire shapes of {@code /v1/grants} (02-api.md "Routes"). */
public final class GrantJson {

    private GrantJson() {
    }

    public record Create(String userId, String client, Integer listenPortStart, Integer listenPortEnd,
            List<String> protocols, String note) {
    }

    /** {@code GrantView}; {@code note} is always present, null when unset. */
    @JsonPropertyOrder({"grant_id", "user_id", "client", "listen_port_start", "listen_port_end", "protocols", "note", "created_at"})
    public record View(String grantId, String userId, String client, int listenPortStart, int listenPortEnd,
            List<String> protocols, @JsonInclude(JsonInclude.Include.ALWAYS) String note, String createdAt) {
    }

    @JsonPropertyOrder({"grant_id", "removed_rule_ids"})
    public record Deleted(String grantId, List<String> removedRuleIds) {
    }
}
