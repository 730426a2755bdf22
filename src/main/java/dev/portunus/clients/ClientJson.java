package dev.portunus.clients;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Wire shapes of the client routes (02-api.md, 04-client.md). */
public final class ClientJson {

    private ClientJson() {
    }

    public record EnrollmentRequest(String name, String address, Integer ttlSecs) {
    }

    /**
     * A one-time code and how to use it: {@code uri} is {@code portunus://enroll?server=…&code=…&fp=…}
     * (the web UI builds install commands from it), {@code command} the ready-to-paste
     * {@code portunus-client enroll '<uri>'}. Also the answer of a re-enrollment.
     */
    public record Enrollment(String clientId, String clientName, String expiresAt, String code, String command, String uri) {
    }

    /** {@code POST /v1/clients/{client_id}/enrollment}; the body may be absent or {@code {}}. */
    public record ReEnrollmentRequest(Integer ttlSecs) {
    }

    /**
     * Every field is always present, {@code null} when unset, so that a UI can rely on the shape.
     * The last four are the web UI's names (06-traffic.md §5.10): {@code provisioned_at} = {@code issued_at},
     * {@code client_address} = {@code address}; {@code remote_addr} and {@code connected_at} are always
     * null (the store does not record the client's connections).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String clientId, String clientName, String address, boolean connected, String issuedAt,
            String revokedAt, String lastSeenAt, String provisionedAt, String clientAddress, String remoteAddr,
            String connectedAt) {

        /** A client from its stored columns; the web UI's fields follow from them. */
        public View(String clientId, String clientName, String address, boolean connected, String issuedAt, String revokedAt,
                String lastSeenAt) {
            this(clientId, clientName, address, connected, issuedAt, revokedAt, lastSeenAt, issuedAt, address, null, null);
        }
    }

    /** {@code PATCH /v1/clients/{client_id}/name}: {@code name}, or the web UI's {@code client_name}. */
    public record Rename(String name, String clientName) {
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
