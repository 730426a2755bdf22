package dev.portunus.credentials;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code DELETE /v1/credentials/{id}}: revocation by the owner or a superadmin. Who owns the
 * credential is only known from its row, so the service checks it (not {@code @Allow}).
 */
@Path("/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialRevocationResource {

    @Inject
    CredentialService credentials;

    @DELETE
    @Path("{id}")
    public CredentialJson.View revoke(@PathParam("id") String id) {
        return credentials.revoke(id);
    }
}
