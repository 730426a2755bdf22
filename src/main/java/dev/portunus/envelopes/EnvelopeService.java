package dev.portunus.envelopes;

import dev.portunus.api.ApiException;
import dev.portunus.clients.ClientRepository;
import dev.portunus.rules.RuleJson;
import dev.portunus.rules.RuleRepository;
import dev.portunus.rules.RuleValidator;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-owner cap envelopes on a client ({@code rate_limit_owner}): the same caps object as a rule's
 * {@code rate_limit}, with at least one cap. Unknown client or user → 404.
 */
@ApplicationScoped
public class EnvelopeService {

    @Inject
    Store store;

    /** Owners with rules or an envelope on the client, by owner id, with their rule count and envelope. */
    public List<EnvelopeJson.Owner> owners(String clientId) {
        return store.read(h -> {
            requireClient(h, clientId);
            Map<String, Long> rules = RuleRepository.ruleCountsByOwner(h, clientId);
            Map<String, EnvelopeJson.Owner> owners = new TreeMap<>();
            rules.forEach((owner, count) -> owners.put(owner, new EnvelopeJson.Owner(owner, count, null)));
            for (EnvelopeJson.View e : EnvelopeRepository.onClient(h, clientId)) {
                owners.put(e.ownerId(), new EnvelopeJson.Owner(e.ownerId(), rules.getOrDefault(e.ownerId(), 0L), e.rateLimit()));
            }
            return List.copyOf(owners.values());
        });
    }

    public EnvelopeJson.View get(String clientId, String ownerId) {
        return store.read(h -> EnvelopeRepository.find(h, clientId, ownerId))
                .orElseThrow(() -> ApiException.notFound("rate-limit envelope"));
    }

    public EnvelopeJson.View put(String clientId, String ownerId, RuleJson.RateLimit body) {
        if (body == null || body.isEmpty()) {
            throw ApiException.invalid("rate_limit_empty", "an envelope needs at least one cap (DELETE removes it)");
        }
        RuleJson.RateLimit limit = RuleValidator.rateLimit(body, "");
        return store.write(h -> {
            requireClient(h, clientId);
            if (!UserRepository.exists(h, ownerId)) {
                throw ApiException.notFound("user");
            }
            EnvelopeRepository.upsert(h, clientId, ownerId, limit, Timestamps.now());
            return EnvelopeRepository.find(h, clientId, ownerId).orElseThrow();
        });
    }

    public void delete(String clientId, String ownerId) {
        if (store.write(h -> EnvelopeRepository.delete(h, clientId, ownerId)) == 0) {
            throw ApiException.notFound("rate-limit envelope");
        }
    }

    private static void requireClient(Handle h, String clientId) throws SQLException {
        if (!ClientRepository.exists(h, clientId)) {
            throw ApiException.notFound("client");
        }
    }
}
