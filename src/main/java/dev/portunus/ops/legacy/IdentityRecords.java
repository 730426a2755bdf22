package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.api.Caller;
import dev.portunus.ops.legacy.ImportPlan.CredentialRow;
import dev.portunus.ops.legacy.ImportPlan.GrantRow;
import dev.portunus.ops.legacy.ImportPlan.UserRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code identity.json} users, credentials and grants → rows (05-legacy.md §4, §6.2–§6.4, §7.5),
 * in that order, each kind through all its phases before the next, so that references see exactly
 * the records imported so far.
 */
final class IdentityRecords {

    private static final Set<String> USER_FIELDS = Set.of("id", "display_name", "role", "created_at", "disabled");
    private static final Set<String> CREDENTIAL_FIELDS =
            Set.of("id", "user_id", "token_hash", "label", "created_at", "last_used_at", "status");
    private static final Set<String> GRANT_FIELDS = Set.of("id", "user_id", "client", "listen_port_start",
            "listen_port_end", "protocols", "note", "created_at");
    private static final String RESERVED = "_";
    private static final String LEGACY_SHORTCUT_USER = "_legacy";
    private static final String ALL_CLIENTS = "*";

    /** A user that passed its checks; {@code id} is its id in our store (renamed when reserved). */
    record User(String legacyId, String id, String role, String displayName, boolean disabled, Instant createdAt) {

        User as(String newId, String newDisplayName) {
            return new User(legacyId, newId, role, newDisplayName, disabled, createdAt);
        }

        boolean superadmin() {
            return Caller.SUPERADMIN.equals(role);
        }

        UserRow row() {
            return new UserRow(id, role, displayName, disabled ? 1 : 0, null, 0, LegacyValues.format(createdAt));
        }
    }

    /** A credential; {@code revokedAt} null means active. */
    record Credential(String id, String userRef, String hash, String label, Instant createdAt, Instant lastUsedAt,
            Instant revokedAt) {
    }

    /** A grant; {@code clientRef} is a legacy client name or {@code *}; {@code protocols} is tcp, udp or both. */
    record Grant(String id, String userRef, String clientRef, int start, int end, String protocols, String note,
            Instant createdAt) {

        boolean covers(String clientName, int from, int to, String protocol) {
            return (clientRef.equals(ALL_CLIENTS) || clientRef.equals(clientName)) && start <= from && to <= end
                    && (protocols.equals("both") || protocols.equals(protocol));
        }
    }

    final Section<User> users;
    final Section<Credential> credentials;
    final Section<Grant> grants;
    private final ClientRecords clients;
    private final Map<String, List<Grant>> grantsByUser = new HashMap<>();

    /** @param identity the top-level object of identity.json, or null when the file is absent */
    IdentityRecords(JsonNode identity, ClientRecords clients) {
        this.clients = clients;
        users = new Section<>(RecordKind.USER, identity == null ? null : identity.get("users"), n -> Keys.text(n, "id"));
        users.parse(IdentityRecords::user);
        renameReserved();
        users.each(e -> {
            if (e.value.displayName().isBlank()) {
                e.warn(WarningCode.DISPLAY_NAME_SUBSTITUTED);
                e.value = e.value.as(e.value.id(), e.value.id());
            }
        });

        credentials = new Section<>(RecordKind.CREDENTIAL, identity == null ? null : identity.get("credentials"), Keys::ulid);
        credentials.parse(IdentityRecords::credential);
        credentials.each(e -> user(e.value.userRef()));
        credentials.uniqueBy(Credential::hash);

        grants = new Section<>(RecordKind.GRANT, identity == null ? null : identity.get("grants"), Keys::ulid);
        grants.parse(IdentityRecords::grant);
        grants.each(e -> {
            user(e.value.userRef());
            if (!e.value.clientRef().equals(ALL_CLIENTS)) {
                clients.resolve(e.value.clientRef());
            }
        });
        grants.alive().forEach(e -> grantsByUser.computeIfAbsent(user(e.value.userRef()).id(), k -> new ArrayList<>())
                .add(e.value));
    }

    private static User user(Section.Entry<User> e) {
        RecordFields f = RecordFields.of(e, USER_FIELDS);
        String id = f.text("id");
        if (!id.startsWith(RESERVED) && !LegacyValues.isUserId(id)) {
            throw new SkipRecord(SkipReason.INVALID_USER_ID);
        }
        String displayName = f.text("display_name");
        String role = f.text("role");
        if (!role.equals(Caller.SUPERADMIN) && !role.equals(Caller.USER)) {
            throw new SkipRecord(SkipReason.INVALID_ROLE);
        }
        Instant created = f.timestamp("created_at");
        boolean disabled = f.bool("disabled", false, false);
        return new User(id, id, role, displayName, disabled, created);
    }

    /**
     * §7.5: {@code _x} becomes {@code x}, or {@code x-imported} when {@code x} breaks the id rule or
     * is taken by an imported regular user or an earlier rename; otherwise the user is skipped.
     */
    private void renameReserved() {
        Set<String> taken = new HashSet<>();
        users.alive().stream().map(e -> e.value.id()).filter(id -> !id.startsWith(RESERVED)).forEach(taken::add);
        users.each(e -> {
            String legacy = e.value.legacyId();
            if (!legacy.startsWith(RESERVED)) {
                return;
            }
            String base = legacy.substring(RESERVED.length());
            String to = free(base, taken) ? base : free(base + "-imported", taken) ? base + "-imported" : null;
            if (to == null) {
                throw new SkipRecord(SkipReason.RESERVED_ID_UNMAPPABLE);
            }
            taken.add(to);
            e.warn(WarningCode.USER_RENAMED, new ReportEvent.Field("to", to));
            if (legacy.equals(LEGACY_SHORTCUT_USER)) {
                // Its credential hashes the old server.toml operator_token, which may still be in use (§4, §6.7).
                e.warn(WarningCode.LEGACY_OPERATOR_TOKEN_USER);
            }
            e.value = e.value.as(to, e.value.displayName());
        });
    }

    private static boolean free(String id, Set<String> taken) {
        return LegacyValues.isUserId(id) && !taken.contains(id);
    }

    private static Credential credential(Section.Entry<Credential> e) {
        RecordFields f = RecordFields.of(e, CREDENTIAL_FIELDS);
        String id = f.ulid("id");
        String userRef = f.text("user_id");
        String hash = f.hash("token_hash");
        String label = f.optionalText("label");
        Instant created = f.timestamp("created_at");
        Instant lastUsed = f.optionalTimestamp("last_used_at");
        return new Credential(id, userRef, hash, label, created, lastUsed, revokedAt(f));
    }

    /** §4 status: {@code "active"} → null, {@code {"revoked":{"revoked_at":T}}} → T. */
    private static Instant revokedAt(RecordFields f) {
        JsonNode status = f.raw("status");
        if (status == null || !(status.isTextual() || status.isObject())) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        if (status.isTextual()) {
            if (status.textValue().equals("active")) {
                return null;
            }
            throw new SkipRecord(SkipReason.INVALID_STATUS);
        }
        JsonNode revoked = f.nested(status, Set.of("revoked"), "status.").raw("revoked");
        if (revoked == null || !revoked.isObject()) {
            throw new SkipRecord(SkipReason.INVALID_STATUS);
        }
        JsonNode at = f.nested(revoked, Set.of("revoked_at"), "status.revoked.").raw("revoked_at");
        if (at == null || !at.isTextual()) {
            throw new SkipRecord(SkipReason.INVALID_STATUS);
        }
        return LegacyValues.timestamp(at.textValue());
    }

    private static Grant grant(Section.Entry<Grant> e) {
        RecordFields f = RecordFields.of(e, GRANT_FIELDS);
        String id = f.ulid("id");
        String userRef = f.text("user_id");
        String client = f.text("client");
        if (!client.equals(ALL_CLIENTS) && !LegacyValues.isClientName(client)) {
            throw new SkipRecord(SkipReason.INVALID_CLIENT_NAME);
        }
        int start = (int) f.integer("listen_port_start", 1, 65535, SkipReason.INVALID_PORT_RANGE);
        int end = (int) f.integer("listen_port_end", start, 65535, SkipReason.INVALID_PORT_RANGE);
        String protocols = protocols(f.raw("protocols"));
        String note = f.optionalText("note");
        Instant created = f.timestamp("created_at");
        return new Grant(id, userRef, client, start, end, protocols, note, created);
    }

    /** §6.4: a non-empty array of "tcp"/"udp", repeats ignored → tcp, udp or both. */
    private static String protocols(JsonNode value) {
        if (value == null || !value.isArray()) {
            throw new SkipRecord(SkipReason.INVALID_RECORD);
        }
        boolean tcp = false;
        boolean udp = false;
        for (JsonNode p : value) {
            if (!p.isTextual()) {
                throw new SkipRecord(SkipReason.INVALID_RECORD);
            }
            switch (p.textValue()) {
                case "tcp" -> tcp = true;
                case "udp" -> udp = true;
                default -> throw new SkipRecord(SkipReason.INVALID_PROTOCOLS);
            }
        }
        if (!tcp && !udp) {
            throw new SkipRecord(SkipReason.INVALID_PROTOCOLS);
        }
        return tcp && udp ? "both" : tcp ? "tcp" : "udp";
    }

    /** The imported user a credential, grant or rule names by its legacy id (§7.3 phase 4). */
    User user(String legacyId) {
        return users.resolve(legacyId, SkipReason.UNKNOWN_USER, SkipReason.USER_NOT_IMPORTED).value;
    }

    /** Whether {@code owner} holds one imported grant that covers the whole rule (§7.4 rule_outside_grants). */
    boolean granted(User owner, String clientName, int from, int to, String protocol) {
        return grantsByUser.getOrDefault(owner.id(), List.of()).stream()
                .anyMatch(g -> g.covers(clientName, from, to, protocol));
    }

    boolean enabledSuperadmin() {
        return users.alive().stream().anyMatch(e -> e.value.superadmin() && !e.value.disabled());
    }

    List<UserRow> userRows() {
        return users.alive().stream().map(e -> e.value.row()).toList();
    }

    List<CredentialRow> credentialRows() {
        return credentials.alive().stream().map(e -> e.value).map(c -> new CredentialRow(c.id(), user(c.userRef()).id(),
                c.hash(), c.label(), c.revokedAt() == null ? "active" : "revoked", LegacyValues.format(c.createdAt()),
                LegacyValues.format(c.revokedAt()), LegacyValues.format(c.lastUsedAt()))).toList();
    }

    List<GrantRow> grantRows() {
        return grants.alive().stream().map(e -> e.value).map(g -> new GrantRow(g.id(), user(g.userRef()).id(),
                g.clientRef().equals(ALL_CLIENTS) ? ALL_CLIENTS : clients.resolve(g.clientRef()).id(), g.start(),
                g.end(), g.protocols(), g.note(), LegacyValues.format(g.createdAt()))).toList();
    }

    /** Reserved ids and the ids they became, in record order. */
    Map<String, String> renames() {
        Map<String, String> out = new LinkedHashMap<>();
        users.alive().stream().map(e -> e.value).filter(u -> !u.id().equals(u.legacyId()))
                .forEach(u -> out.put(u.legacyId(), u.id()));
        return out;
    }
}
