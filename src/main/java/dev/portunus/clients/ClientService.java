package dev.portunus.clients;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.api.Require;
import dev.portunus.crypto.Secrets;
import dev.portunus.crypto.Ulid;
import dev.portunus.grants.Grant;
import dev.portunus.grants.GrantRepository;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Clients: enrollment codes, the redeem that turns a code into a client token, and the
 * superadmin's management routes. Codes and tokens are stored only as BLAKE3 hashes.
 */
@ApplicationScoped
public class ClientService {

    static final int DEFAULT_TTL_SECS = 600;
    static final int MIN_TTL_SECS = 1;
    static final int MAX_TTL_SECS = 86_400;
    static final int MAX_NAME = 128;
    static final int MAX_ADDRESS = 255;

    @Inject
    Store store;

    @Inject
    ClientEndpoint endpoint;

    @Inject
    @All
    List<ClientDeletion> deletions;

    /**
     * {@code POST /v1/client-enrollments}: a pending client and its one-time code, frozen to the
     * endpoint effective now (06-traffic.md §3). 503 {@code client_listener_unavailable} while the
     * listener is down; 422 {@code endpoint_invalid} when no endpoint resolves (nothing is created).
     */
    public ClientJson.Enrollment createEnrollment(ClientJson.EnrollmentRequest body) {
        Require.body(body);
        String name = name(body.name());
        String address = address(body.address());
        int ttl = ttl(body.ttlSecs());
        String id = Ulid.next();
        return store.write(h -> {
            ClientRepository.insertPending(h, id, name, address, Timestamps.now());
            return issueCode(h, id, name, ttl);
        });
    }

    /**
     * {@code POST /v1/clients/{client_id}/enrollment} (06-traffic.md §5.1): a new one-time code for an
     * existing client. Redeeming it rotates the client's token, so the old bundle stops working; codes
     * issued before it are voided. 404 for an unknown client, 409 {@code client_revoked} for a revoked
     * one (revocation is final: enroll a new client instead), 503/422 as {@link #createEnrollment}.
     */
    public ClientJson.Enrollment reenroll(String id, ClientJson.ReEnrollmentRequest body) {
        int ttl = ttl(body == null ? null : body.ttlSecs());
        return store.write(h -> {
            ClientJson.View client = ClientRepository.find(h, id, Instant.now()).orElseThrow(() -> ApiException.notFound("client"));
            if (client.revokedAt() != null) {
                throw new ApiException(409, "client_revoked", "client " + id + " is revoked; revocation is final, enroll a new client");
            }
            ClientRepository.voidOpenCodes(h, id, Timestamps.now());
            return issueCode(h, id, client.clientName(), ttl);
        });
    }

    /** Inserts a code for the client, frozen to the endpoint effective now, inside the caller's transaction. */
    private ClientJson.Enrollment issueCode(Handle h, String clientId, String name, int ttl) throws SQLException {
        String fingerprint = endpoint.fingerprint();
        String server = endpoint.effective(override(h));
        String code = Secrets.newToken();
        Instant now = Instant.now();
        String expiresAt = Timestamps.format(now.plusSeconds(ttl));
        ClientRepository.insertEnrollment(h, Secrets.blake3Hex(code), clientId, Timestamps.format(now), expiresAt, server);
        String uri = "portunus://enroll?server=" + server + "&code=" + code + "&fp=" + fingerprint;
        return new ClientJson.Enrollment(clientId, name, expiresAt, code, "portunus-client enroll '" + uri + "'", uri);
    }

    /**
     * {@code GET /v1/clients}: every client for a superadmin; for anyone else the clients it holds a
     * grant for (a {@code *} grant: all), other clients stay invisible (06-traffic.md §7.4).
     */
    public List<ClientJson.View> list(Caller caller) {
        return store.read(h -> {
            List<ClientJson.View> all = ClientRepository.list(h, Instant.now());
            if (caller.isSuperadmin()) {
                return all;
            }
            List<Grant> grants = GrantRepository.grantsOf(h, caller.id());
            return all.stream().filter(c -> grants.stream().anyMatch(g -> g.coversClient(c.clientId()))).toList();
        });
    }

    public ClientJson.View get(String id) {
        return store.read(h -> ClientRepository.find(h, id, Instant.now())).orElseThrow(() -> ApiException.notFound("client"));
    }

    /**
     * Accepts {@code name} or the web UI's {@code client_name} (06-traffic.md §5.8); both given and
     * different → 422 {@code conflicting_fields}.
     */
    public ClientJson.View rename(String id, ClientJson.Rename body) {
        Require.body(body);
        if (body.name() != null && body.clientName() != null && !body.name().equals(body.clientName())) {
            throw ApiException.invalid("conflicting_fields", "give the new name as 'name' or as 'client_name', not two different ones");
        }
        String name = name(body.name() != null ? body.name() : body.clientName());
        return store.write(h -> {
            requireFound(ClientRepository.rename(h, id, name));
            return ClientRepository.find(h, id, Instant.now()).orElseThrow();
        });
    }

    public ClientJson.View setAddress(String id, ClientJson.AddressUpdate body) {
        String address = address(body == null ? null : body.address());
        return store.write(h -> {
            requireFound(ClientRepository.setAddress(h, id, address));
            return ClientRepository.find(h, id, Instant.now()).orElseThrow();
        });
    }

    /** Idempotent: revoking a revoked client keeps its first revocation time. */
    public ClientJson.View revoke(String id) {
        return store.write(h -> {
            ClientRepository.find(h, id, Instant.now()).orElseThrow(() -> ApiException.notFound("client"));
            ClientRepository.revoke(h, id, Timestamps.now());
            return ClientRepository.find(h, id, Instant.now()).orElseThrow();
        });
    }

    /** Only a revoked client may be deleted; its rules, codes, envelopes and quotas go with it. */
    public ClientJson.Deleted delete(String id) {
        return store.write(h -> {
            ClientJson.View client = ClientRepository.find(h, id, Instant.now()).orElseThrow(() -> ApiException.notFound("client"));
            if (client.revokedAt() == null) {
                throw ApiException.conflict("client " + id + " is not revoked; revoke it first (POST /v1/clients/" + id + "/revoke)");
            }
            List<String> rules = new java.util.ArrayList<>();
            for (ClientDeletion d : deletions) {
                rules.addAll(d.rulesRemovedWith(h, id));
            }
            ClientRepository.delete(h, id);
            return new ClientJson.Deleted(id, rules);
        });
    }

    /** Redeems a one-time code (client listener, public): consumes it and mints the client token. */
    public ClientJson.Bundle redeem(ClientJson.Redeem body) {
        if (body == null || body.code() == null || body.code().isBlank()) {
            throw ApiException.invalid("code_required", "code is required");
        }
        String codeHash = Secrets.blake3Hex(body.code());
        String token = Secrets.newToken();
        String now = Timestamps.now();
        String fingerprint = endpoint.fingerprint();
        return store.write(h -> {
            ClientRepository.Enrollment found = ClientRepository.enrollment(h, codeHash)
                    .orElseThrow(() -> new ApiException(401, "invalid_enrollment_code", "unknown enrollment code"));
            if (found.revokedAt() != null) {
                throw ApiException.forbidden("client_revoked", "this client was revoked; ask for a new enrollment");
            }
            if (found.consumedAt() != null) {
                throw new ApiException(409, "enrollment_code_used", "this enrollment code was already used; ask for a new one");
            }
            if (found.expiresAt().compareTo(now) <= 0) {
                throw new ApiException(410, "enrollment_code_expired", "this enrollment code expired at " + found.expiresAt());
            }
            // The endpoint frozen when the code was made, so that its URI and the bundle agree; codes
            // made before V2 carry none and get the endpoint effective now.
            String server = found.advertisedEndpoint() != null ? found.advertisedEndpoint()
                    : endpoint.effective(override(h));
            if (!ClientRepository.redeem(h, codeHash, found.clientId(), Secrets.blake3Hex(token), now)) {
                throw new ApiException(409, "enrollment_code_used", "this enrollment code was already used; ask for a new one");
            }
            return new ClientJson.Bundle(1, found.clientId(), found.clientName(), server, fingerprint, token);
        });
    }

    /**
     * The client behind a bearer token, recorded as seen. Recording is a write, so it happens only
     * when the stored time is stale ({@link ClientRepository#seenIsStale}): a polling client costs reads.
     */
    public ClientJson.WhoAmI whoami(String token) {
        ClientRepository.Active who = authenticate(token);
        Instant now = Instant.now();
        if (ClientRepository.seenIsStale(who, now)) {
            store.write(h -> ClientRepository.touchSeen(h, who, now));
        }
        return new ClientJson.WhoAmI(who.clientId(), who.clientName());
    }

    /**
     * The active client behind a bearer token of the client listener (whoami, traffic reports).
     * 401 {@code unauthenticated} when the token is missing, unknown, or its client is revoked.
     */
    public ClientRepository.Active authenticate(String token) {
        if (token == null) {
            throw ApiException.unauthenticated();
        }
        String hash = Secrets.blake3Hex(token);
        return store.read(h -> ClientRepository.active(h, hash)).orElseThrow(ApiException::unauthenticated);
    }

    /**
     * The endpoint a new enrollment would name now, for the client listener's start-up line: the
     * effective {@code host:port}, or, when no tier resolves, {@code "unresolved: <why>"} (serve still
     * starts; enrollment then answers 422 {@code endpoint_invalid} until an operator fixes it).
     */
    public String advertisedEndpoint() {
        var r = endpoint.resolve(store.read(ClientService::override));
        return r.effective() != null ? r.effective() : "unresolved: " + r.diagnostic();
    }

    /** The stored advertised-endpoint override (06-traffic.md §3), or null. */
    private static String override(Handle h) throws SQLException {
        return SettingsRepository.text(h, SettingsRepository.ADVERTISED_ENDPOINT).orElse(null);
    }

    private static int ttl(Integer ttlSecs) {
        int ttl = ttlSecs == null ? DEFAULT_TTL_SECS : ttlSecs;
        if (ttl < MIN_TTL_SECS || ttl > MAX_TTL_SECS) {
            throw ApiException.invalid("invalid_ttl_secs", "ttl_secs must lie between " + MIN_TTL_SECS + " and " + MAX_TTL_SECS);
        }
        return ttl;
    }

    private static void requireFound(int changed) {
        if (changed == 0) {
            throw ApiException.notFound("client");
        }
    }

    private static String name(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("invalid_name", "name must be 1 to " + MAX_NAME + " printable characters");
        }
        return n;
    }

    private static String address(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.isEmpty() || a.length() > MAX_ADDRESS || a.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("invalid_address", "address must be 1 to " + MAX_ADDRESS + " printable characters, or null");
        }
        return a;
    }
}
