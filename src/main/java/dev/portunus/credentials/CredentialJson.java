package dev.portunus.credentials;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Wire shapes of a user's API credentials (02-api.md "Routes"): never a hash, the token only once. */
public final class CredentialJson {

    private CredentialJson() {
    }

    /** {@code POST /v1/users/{id}/credentials}; the body may be empty. */
    public record Mint(String label) {
    }

    /** The only time the token is ever shown. */
    @JsonPropertyOrder({"credential_id", "token"})
    public record Minted(String credentialId, String token) {
    }

    @JsonPropertyOrder({"credential_id", "user_id", "label", "status", "issued_at", "revoked_at", "last_used_at"})
    public record View(String credentialId, String userId, String label, String status, String issuedAt,
            String revokedAt, String lastUsedAt) {
    }
}
