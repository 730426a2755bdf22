package dev.portunus.credentials;

import dev.portunus.api.ApiException;
import dev.portunus.auth.CallerContext;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code DELETE /v1/credentials/{id}}: revocation by the owner or a superadmin; the next use gets 401. */
@Path("/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialsResource {

    @Inject
    Store store;

    @Inject
    CallerContext context;

    @DELETE
    @Path("{id}")
    public CredentialView revoke(@PathParam("id") String id) {
        return store.write(h -> {
            CredentialView c = CredentialRepository.find(h, id).orElseThrow(() -> ApiException.notFound("credential"));
            context.requireSelfOrSuperadmin(c.userId());
            CredentialRepository.revoke(h, id, Timestamps.now());
            return CredentialRepository.find(h, id).orElseThrow();
        });
    }
}
