package dev.portunus.users;

/** A row of {@code users}. The password hash never leaves the service layer. */
public record User(String id, String role, String displayName, boolean disabled, String passwordHash,
        boolean passwordChangeRequired, String createdAt) {
}
