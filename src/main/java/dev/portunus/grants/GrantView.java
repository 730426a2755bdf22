package dev.portunus.grants;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

@JsonPropertyOrder({"grant_id", "user_id", "client", "listen_port_start", "listen_port_end", "protocols", "note", "created_at"})
public record GrantView(String grantId, String userId, String client, int listenPortStart, int listenPortEnd,
        List<String> protocols, @JsonInclude(JsonInclude.Include.ALWAYS) String note, String createdAt) {
}
