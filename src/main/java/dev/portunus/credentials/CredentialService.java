package dev.portunus.credentials;

import dev.portunus.api.ApiException;
import dev.portunus.api.CallerContext;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserDeletion;
import dev.portunus.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;

/**
 * A user's API credentials: minted (the token is shown once; only its BLAKE3 hash is stored),
 * listed without secrets, revoked by the owner or a superadmin (the next use gets 401). Takes part in
 * deleting a user.
 */
@ApplicationScoped
public class CredentialService implements UserDeletion {

    static final int MAX_LABEL = 200;

    @Inject
    Store store;

    @Inject
    CallerContext callers;

    /** 201 {@code {credential_id, token}}; 404 for an unknown user. */
    public CredentialJson.Minted mint(String userId, CredentialJson.Mint body) {
        String label = body == null ? null : body.label();
        if (label != null && label.length() > MAX_LABEL) {
            throw ApiException.invalid("invalid_label", "label must be at most " + MAX_LABEL + " characters");
        }
        String token = Secrets.newToken();
        String id = Secrets.newId("cr");
        // Group commit: mints are the hot write (02-api.md), and this work reads nothing of the caller.
        store.writeGrouped(h -> {
            requireUser(h, userId);
            CredentialRepository.insert(h, id, userId, Secrets.blake3Hex(token), label, Timestamps.now());
            return null;
        });
        return new CredentialJson.Minted(id, token);
    }

    public List<CredentialJson.View> list(String userId) {
        return store.read(h -> {
            requireUser(h, userId);
            return CredentialRepository.listForUser(h, userId);
        });
    }

    /** Revokes a credential of the caller (or any, for a superadmin); 404 when it does not exist. */
    public CredentialJson.View revoke(String id) {
        return store.write(h -> {
            CredentialJson.View c = CredentialRepository.find(h, id).orElseThrow(() -> ApiException.notFound("credential"));
            callers.requireSelfOrSuperadmin(c.userId());
            CredentialRepository.revoke(h, id, Timestamps.now());
            return CredentialRepository.find(h, id).orElseThrow();
        });
    }

    @Override
    public void deleteOwnedBy(Handle h, String userId, Removal removed) throws SQLException {
        removed.credentialIds.addAll(CredentialRepository.deleteForUser(h, userId));
    }

    private static void requireUser(Handle h, String userId) throws SQLException {
        if (!UserRepository.exists(h, userId)) {
            throw ApiException.notFound("user");
        }
    }
}
