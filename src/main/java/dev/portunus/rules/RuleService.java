package dev.portunus.rules;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.clients.ClientDeletion;
import dev.portunus.clients.ClientJson;
import dev.portunus.clients.ClientRepository;
import dev.portunus.crypto.Ulid;
import dev.portunus.grants.Grant;
import dev.portunus.grants.GrantDeletion;
import dev.portunus.grants.GrantRepository;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserDeletion;
import dev.portunus.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rules: body validation, then (in the same write transaction as the insert) the client, the
 * owner, the grant envelope of a non-superadmin and the listen-port conflicts. Takes part in deleting
 * a user (its rules), a grant (the rules it alone covered) and a client (which rules went with it).
 */
@ApplicationScoped
public class RuleService implements UserDeletion, GrantDeletion, ClientDeletion {

    @Inject
    Store store;

    public RuleJson.View create(Caller caller, RuleJson.Create body) {
        RuleValidator.Checked rule = RuleValidator.check(body);
        String owner = ownerFor(caller, body.owner());
        String id = Ulid.next();
        return store.write(h -> {
            requireClient(h, rule.client());
            if (!UserRepository.exists(h, owner)) {
                throw ApiException.invalid("unknown_owner", "owner '" + owner + "' is not a user");
            }
            if (!caller.isSuperadmin()) {
                requireInsideOneGrant(GrantRepository.grantsOf(h, owner), rule);
            }
            requireNoConflict(h, rule);
            RuleRepository.insert(h, id, owner, rule, Timestamps.now());
            return named(h, RuleRepository.find(h, id).orElseThrow());
        });
    }

    public List<RuleJson.View> list(Caller caller, String client, String owner) {
        String effectiveOwner = owner;
        if (!caller.isSuperadmin()) {
            if (owner != null && !owner.equals(caller.id())) {
                throw ApiException.forbidden("forbidden", "only a superadmin may list other users' rules");
            }
            effectiveOwner = caller.id();
        }
        String o = effectiveOwner;
        return store.read(h -> {
            Map<String, String> names = ClientRepository.names(h);
            return RuleRepository.list(h, client, o).stream().map(r -> r.withClientName(names.get(r.client()))).toList();
        });
    }

    public RuleJson.View get(Caller caller, String id) {
        return store.read(h -> named(h, visible(h, caller, id)));
    }

    public RuleJson.View updateRateLimit(Caller caller, String id, RuleJson.Update body) {
        RuleJson.RateLimit limit = RuleValidator.rateLimit(body == null ? null : body.rateLimit(), "rate_limit.");
        return store.write(h -> {
            visible(h, caller, id);
            RuleRepository.updateRateLimit(h, id, limit, Timestamps.now());
            return named(h, RuleRepository.find(h, id).orElseThrow());
        });
    }

    public void delete(Caller caller, String id) {
        store.write(h -> {
            visible(h, caller, id);
            return RuleRepository.delete(h, id);
        });
    }

    /** The rule with its client's display name (the web UI's {@code client_name}). */
    private static RuleJson.View named(Handle h, RuleJson.View rule) throws SQLException {
        return rule.withClientName(ClientRepository.find(h, rule.client(), Instant.now())
                .map(ClientJson.View::clientName).orElse(null));
    }

    /** A rule a caller may not see is answered like a missing one (404), never 403. */
    private static RuleJson.View visible(Handle h, Caller caller, String id) throws SQLException {
        RuleJson.View rule = RuleRepository.find(h, id).orElseThrow(() -> ApiException.notFound("rule"));
        if (!caller.isSuperadmin() && !rule.owner().equals(caller.id())) {
            throw ApiException.notFound("rule");
        }
        return rule;
    }

    /**
     * Owner of a new rule: the caller, or, for a superadmin only, the user it names. The operator
     * token is not a user (no users row), so its rules must name their owner.
     */
    static String ownerFor(Caller caller, String requested) {
        if (requested == null) {
            if (caller.kind() == Caller.Kind.OPERATOR_TOKEN) {
                throw ApiException.invalid("owner_required",
                        "the operator token is not a user: name the rule's owner with \"owner\"");
            }
            return caller.id();
        }
        if (!caller.isSuperadmin() && !requested.equals(caller.id())) {
            throw ApiException.forbidden("forbidden", "only a superadmin may create rules for another user");
        }
        return requested;
    }

    @Override
    public void deleteOwnedBy(Handle h, String userId, Removal removed) throws SQLException {
        List<String> ids = RuleRepository.idsOwnedBy(h, userId);
        for (String id : ids) {
            RuleRepository.delete(h, id);
        }
        removed.ruleIds.addAll(ids);
    }

    /** The rules of the grant's user that it covers and no other grant of theirs does. */
    @Override
    public List<String> deleteRulesOnlyCoveredBy(Handle h, Grant deleted) throws SQLException {
        List<Grant> others = GrantRepository.grantsOf(h, deleted.userId()).stream()
                .filter(g -> !g.id().equals(deleted.id())).toList();
        List<String> orphaned = new java.util.ArrayList<>();
        for (RuleRepository.Claimed r : RuleRepository.claimsOf(h, deleted.userId())) {
            if (deleted.covers(r.client(), r.listenPort(), r.listenPortEnd(), r.protocol())
                    && others.stream().noneMatch(g -> g.covers(r.client(), r.listenPort(), r.listenPortEnd(), r.protocol()))) {
                RuleRepository.delete(h, r.id());
                orphaned.add(r.id());
            }
        }
        return orphaned;
    }

    /** The client's rules go with it (the foreign key cascades); their ids are reported. */
    @Override
    public List<String> rulesRemovedWith(Handle h, String clientId) throws SQLException {
        return RuleRepository.idsOnClient(h, clientId);
    }

    private static void requireClient(Handle h, String clientId) throws SQLException {
        var client = ClientRepository.find(h, clientId, Instant.now())
                .orElseThrow(() -> ApiException.invalid("unknown_client", "client '" + clientId + "' does not exist"));
        if (client.revokedAt() != null) {
            throw ApiException.invalid("client_revoked", "client '" + clientId + "' is revoked");
        }
    }

    /**
     * The rule must fit inside ONE grant: client, whole listen range and protocol together. The
     * code names the first dimension no grant satisfies, narrowing grant by grant.
     */
    static void requireInsideOneGrant(List<Grant> grants, RuleValidator.Checked r) {
        List<Grant> forClient = grants.stream().filter(g -> g.coversClient(r.client())).toList();
        if (forClient.isEmpty()) {
            throw ApiException.forbidden("client_not_granted", "no grant of yours covers client " + r.client());
        }
        List<Grant> forPorts = forClient.stream()
                .filter(g -> g.coversPorts(r.listenPort(), r.listenPortEnd())).toList();
        if (forPorts.isEmpty()) {
            throw ApiException.forbidden("port_outside_grant", "listen ports " + r.listenPort() + "-" + r.listenPortEnd()
                    + " lie outside every grant of yours on this client");
        }
        if (forPorts.stream().noneMatch(g -> g.coversProtocol(r.protocol()))) {
            throw ApiException.forbidden("protocol_not_granted", "protocol " + r.protocol()
                    + " is not granted to you on these ports of this client");
        }
    }

    /**
     * Two rules may not claim the same (client, protocol, listen port) unless they differ by SNI:
     * both carry an SNI pattern and the patterns differ. A rule without SNI claims the whole port.
     */
    private static void requireNoConflict(Handle h, RuleValidator.Checked r) throws SQLException {
        for (RuleRepository.Claim other : RuleRepository.overlapping(h, r.client(), r.protocol(), r.listenPort(), r.listenPortEnd())) {
            boolean differBySni = r.sniPattern() != null && other.sniPattern() != null
                    && !Objects.equals(r.sniPattern(), other.sniPattern());
            if (!differBySni) {
                throw ApiException.conflict("rule " + other.id() + " already claims " + r.protocol() + " listen port(s) "
                        + r.listenPort() + "-" + r.listenPortEnd() + " on client " + r.client());
            }
        }
    }
}
