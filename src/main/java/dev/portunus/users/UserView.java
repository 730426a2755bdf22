package dev.portunus.users;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

@JsonPropertyOrder({"user_id", "display_name", "role", "disabled", "created_at", "grant_count"})
public record UserView(String userId, String displayName, String role, boolean disabled, String createdAt,
        long grantCount) {
}
