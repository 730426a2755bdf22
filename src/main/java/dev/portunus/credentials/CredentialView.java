package dev.portunus.credentials;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A credential as the API shows it: never its token or hash. */
@JsonPropertyOrder({"credential_id", "user_id", "label", "status", "issued_at", "revoked_at", "last_used_at"})
public record CredentialView(String credentialId, String userId, String label, String status, String issuedAt,
        String revokedAt, String lastUsedAt) {
}
