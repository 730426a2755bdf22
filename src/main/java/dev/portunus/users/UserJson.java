package dev.portunus.users;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Wire shapes of {@code /v1/users} (02-api.md "Routes"). */
public final class UserJson {

    private UserJson() {
    }

    /** {@code POST /v1/users}; role defaults to {@code user}. */
    public record Create(String userId, String displayName, String role, String initialPassword,
            Boolean passwordChangeRequired) {
    }

    /** {@code POST /v1/users/{id}/password}: exactly one of a new password or a generated temporary one. */
    public record ResetPassword(String newPassword, Boolean temporaryPassword) {
    }

    /** {@code UserView}. */
    @JsonPropertyOrder({"user_id", "display_name", "role", "disabled", "created_at", "grant_count"})
    public record View(String userId, String displayName, String role, boolean disabled, String createdAt,
            long grantCount) {
    }

    /** The answer of a password reset; {@code temporary_password} only when one was generated. */
    @JsonPropertyOrder({"user_id", "sessions_revoked", "temporary_password"})
    public record PasswordReset(String userId, int sessionsRevoked, String temporaryPassword) {
    }

    /** What deleting a user took with it, in one transaction. */
    public record Removed(String userId, List<String> removedCredentialIds, List<String> revokedGrantIds,
            List<String> removedRuleIds) {
    }
}
