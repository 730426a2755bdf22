package dev.portunus.auth;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Wire shapes of {@code /v1/auth} and the caller's own routes {@code /v1/users/me[/password]} (02-api.md). */
public final class AuthJson {

    private AuthJson() {
    }

    public record Status(boolean onboardingRequired) {
    }

    public record Onboarding(String userId, String displayName, String password, String passwordConfirm,
            String setupToken) {
    }

    @JsonPropertyOrder({"user_id", "display_name", "role"})
    public record Onboarded(String userId, String displayName, String role) {
    }

    public record Login(String userId, String password) {
    }

    public record LoggedIn(boolean passwordChangeRequired) {
    }

    @JsonPropertyOrder({"user_id", "role", "display_name"})
    public record Me(String userId, String role, String displayName) {
    }

    public record ChangeOwnPassword(String currentPassword, String newPassword, String newPasswordConfirm) {
    }
}
