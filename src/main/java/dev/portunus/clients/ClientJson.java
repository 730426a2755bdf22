package dev.portunus.clients;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Wire shapes of the client routes (02-api.md, 04-client.md). */
public final class ClientJson {

    private ClientJson() {
    }

    public record EnrollmentRequest(String name, String address, Integer ttlSecs) {
    }

    public record Enrollment(String clientId, String clientName, String expiresAt, String code, String command) {
    }

    /** Every field is always present, {@code null} when unset, so that a UI can rely on the shape. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String clientId, String clientName, String address, boolean connected, String issuedAt,
            String revokedAt, String lastSeenAt) {
    }

    public record Rename(String name) {
    }

    public record AddressUpdate(String address) {
    }

    public record Deleted(String clientId, java.util.List<String> removedRuleIds) {
    }

    /** {@code POST /v1/enroll} on the client listener. */
    public record Redeem(String code) {
    }

    /** The bundle a client stores (04-client.md); also the redeem answer. */
    public record Bundle(int version, String clientId, String clientName, String server, String serverCertSha256,
            String token) {
    }

    public record WhoAmI(String clientId, String clientName) {
    }
}
