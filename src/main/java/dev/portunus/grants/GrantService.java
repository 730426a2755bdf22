package dev.portunus.grants;

import dev.portunus.api.ApiException;
import dev.portunus.api.Require;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.GrantCounts;
import dev.portunus.users.UserDeletion;
import dev.portunus.users.UserRepository;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grants: what a user may forward. Validates bodies (422 with a field code), refuses unknown users
 * (422 {@code unknown_user}), and deletes a grant together with the rules only it covered, in one
 * transaction. Takes part in deleting a user and answers the users area's grant counts.
 */
@ApplicationScoped
public class GrantService implements UserDeletion, GrantCounts {

    @Inject
    Store store;

    @Inject
    @All
    List<GrantDeletion> deletions;

    public List<GrantJson.View> list(String userId) {
        return store.read(h -> GrantRepository.list(h, userId));
    }

    public GrantJson.View create(GrantJson.Create body) {
        GrantJson.View grant = validated(Require.body(body));
        store.write(h -> {
            if (!UserRepository.exists(h, grant.userId())) {
                throw ApiException.invalid("unknown_user", "user '" + grant.userId() + "' does not exist");
            }
            GrantRepository.insert(h, grant);
            return null;
        });
        return grant;
    }

    /** One transaction: the grant and the rules only it covered go together. */
    public GrantJson.Deleted delete(String id) {
        return store.write(h -> {
            Grant grant = GrantRepository.grant(h, id).orElseThrow(() -> ApiException.notFound("grant"));
            List<String> rules = new ArrayList<>();
            for (GrantDeletion d : deletions) {
                rules.addAll(d.deleteRulesOnlyCoveredBy(h, grant));
            }
            GrantRepository.delete(h, id);
            return new GrantJson.Deleted(id, rules.stream().sorted().toList());
        });
    }

    @Override
    public void deleteOwnedBy(Handle h, String userId, Removal removed) throws SQLException {
        removed.grantIds.addAll(GrantRepository.deleteForUser(h, userId));
    }

    @Override
    public Map<String, Long> grantCounts(Handle h, String userId) throws SQLException {
        return GrantRepository.countsByUser(h, userId);
    }

    static GrantJson.View validated(GrantJson.Create b) {
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
        return new GrantJson.View(Secrets.newId("gr"), userId, client, start, end, normalized, b.note(), Timestamps.now());
    }
}
