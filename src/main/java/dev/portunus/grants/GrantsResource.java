package dev.portunus.grants;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.portunus.api.ApiException;
import dev.portunus.api.Require;
import dev.portunus.auth.CallerContext;
import dev.portunus.auth.Secrets;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/grants}: what a user may forward (superadmin only). */
@Path("/v1/grants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GrantsResource {

    public record CreateGrant(String userId, String client, Integer listenPortStart, Integer listenPortEnd,
            List<String> protocols, String note) {
    }

    @JsonPropertyOrder({"grant_id", "removed_rule_ids"})
    public record Deleted(String grantId, List<String> removedRuleIds) {
    }

    @Inject
    Store store;

    @Inject
    CallerContext context;

    @GET
    public List<GrantView> list(@QueryParam("user_id") String userId) {
        context.requireSuperadmin();
        return store.read(h -> GrantRepository.list(h, userId));
    }

    @POST
    public Response create(CreateGrant body) {
        context.requireSuperadmin();
        GrantView grant = validated(Require.body(body));
        store.write(h -> {
            if (!UserRepository.exists(h, grant.userId())) {
                throw ApiException.invalid("unknown_user", "user '" + grant.userId() + "' does not exist");
            }
            GrantRepository.insert(h, grant);
            return null;
        });
        return Response.status(201).entity(grant).build();
    }

    /** One transaction: the grant and the rules only it covered go together. */
    @DELETE
    @Path("{id}")
    public Deleted delete(@PathParam("id") String id) {
        context.requireSuperadmin();
        return store.write(h -> {
            if (GrantRepository.find(h, id).isEmpty()) {
                throw ApiException.notFound("grant");
            }
            List<String> rules = GrantRepository.rulesOnlyCoveredBy(h, id);
            for (String rule : rules) {
                h.update("DELETE FROM rules WHERE id = ?", rule);
            }
            GrantRepository.delete(h, id);
            return new Deleted(id, rules);
        });
    }

    static GrantView validated(CreateGrant b) {
        String userId = Require.present(b.userId(), "user_id");
        String client = Require.text(b.client(), "client", 64);
        int start = Require.present(b.listenPortStart(), "listen_port_start");
        int end = Require.present(b.listenPortEnd(), "listen_port_end");
        if (start < 1 || end > 65535 || start > end) {
            throw ApiException.invalid("invalid_port_range", "listen_port_start..listen_port_end must lie in 1..65535, start <= end");
        }
        List<String> protocols = Require.present(b.protocols(), "protocols");
        boolean tcp = protocols.contains("tcp");
        boolean udp = protocols.contains("udp");
        if (protocols.isEmpty() || protocols.size() > 2 || protocols.size() != (tcp ? 1 : 0) + (udp ? 1 : 0)) {
            throw ApiException.invalid("invalid_protocols", "protocols must be [\"tcp\"], [\"udp\"] or [\"tcp\",\"udp\"]");
        }
        if (b.note() != null && b.note().length() > 500) {
            throw ApiException.invalid("invalid_note", "note must be at most 500 characters");
        }
        List<String> normalized = tcp && udp ? List.of("tcp", "udp") : List.of(tcp ? "tcp" : "udp");
        return new GrantView(Secrets.newId("gr"), userId, client, start, end, normalized, b.note(), Timestamps.now());
    }
}
