package dev.portunus.credentials;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.portunus.api.ApiException;
import dev.portunus.auth.CallerContext;
import dev.portunus.auth.Secrets;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** A user's API credentials: minted (the token is shown once) and listed without secrets. */
@Path("/v1/users/{id}/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserCredentialsResource {

    public record Mint(String label) {
    }

    @JsonPropertyOrder({"credential_id", "token"})
    public record Minted(String credentialId, String token) {
    }

    @Inject
    Store store;

    @Inject
    CallerContext context;

    @POST
    public Response mint(@PathParam("id") String userId, Mint body) {
        context.requireSelfOrSuperadmin(userId);
        String label = body == null ? null : body.label();
        if (label != null && label.length() > 200) {
            throw ApiException.invalid("invalid_label", "label must be at most 200 characters");
        }
        String token = Secrets.newToken();
        String id = Secrets.newId("cr");
        store.write(h -> {
            if (!UserRepository.exists(h, userId)) {
                throw ApiException.notFound("user");
            }
            CredentialRepository.insert(h, id, userId, Secrets.blake3Hex(token), label, Timestamps.now());
            return null;
        });
        return Response.status(201).entity(new Minted(id, token)).build();
    }

    @GET
    public List<CredentialView> list(@PathParam("id") String userId) {
        context.requireSelfOrSuperadmin(userId);
        return store.read(h -> {
            if (!UserRepository.exists(h, userId)) {
                throw ApiException.notFound("user");
            }
            return CredentialRepository.listForUser(h, userId);
        });
    }
}
