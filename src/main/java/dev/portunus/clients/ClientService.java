package dev.portunus.clients;

import dev.portunus.api.ApiException;
import dev.portunus.crypto.Secrets;
import dev.portunus.crypto.Ulid;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    public ClientJson.Enrollment createEnrollment(ClientJson.EnrollmentRequest body) {
        if (body == null) {
            throw ApiException.badRequest("malformed_json", "a JSON object body is required");
        }
        String name = name(body.name());
        String address = address(body.address());
        int ttl = body.ttlSecs() == null ? DEFAULT_TTL_SECS : body.ttlSecs();
        if (ttl < MIN_TTL_SECS || ttl > MAX_TTL_SECS) {
            throw ApiException.invalid("invalid_ttl_secs", "ttl_secs must lie between " + MIN_TTL_SECS + " and " + MAX_TTL_SECS);
        }
        String server = endpoint.advertised();
        String fingerprint = endpoint.fingerprint();
        String id = Ulid.next();
        String code = Secrets.newToken();
        Instant now = Instant.now();
        String expiresAt = Timestamps.format(now.plusSeconds(ttl));
        store.write(h -> {
            ClientRepository.insertPending(h, id, name, address, Timestamps.format(now));
            ClientRepository.insertEnrollment(h, Secrets.blake3Hex(code), id, Timestamps.format(now), expiresAt);
            return null;
        });
        String uri = "portunus://enroll?server=" + server + "&code=" + code + "&fp=" + fingerprint;
        return new ClientJson.Enrollment(id, name, expiresAt, code, "portunus-client enroll '" + uri + "'");
    }

    public List<ClientJson.View> list() {
        return store.read(h -> ClientRepository.list(h, Instant.now()));
    }

    public ClientJson.View get(String id) {
        return store.read(h -> ClientRepository.find(h, id, Instant.now())).orElseThrow(() -> ApiException.notFound("client"));
    }

    public ClientJson.View rename(String id, ClientJson.Rename body) {
        String name = name(body == null ? null : body.name());
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
        ClientRepository.Enrollment e = store.write(h -> {
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
            if (!ClientRepository.redeem(h, codeHash, found.clientId(), Secrets.blake3Hex(token), now)) {
                throw new ApiException(409, "enrollment_code_used", "this enrollment code was already used; ask for a new one");
            }
            return found;
        });
        return new ClientJson.Bundle(1, e.clientId(), e.clientName(), endpoint.advertised(), endpoint.fingerprint(), token);
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
