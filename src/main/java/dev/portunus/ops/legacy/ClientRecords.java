package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.ops.legacy.ImportPlan.ClientTokenRow;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/** {@code tokens.json} records → {@code client_tokens} rows (05-legacy.md §3, §6.1). */
final class ClientRecords {

    private static final Set<String> FIELDS = Set.of("client_name", "token_hash", "issued_at", "revoked_at");

    /** A client that passed its checks; {@code id} is the new client id. */
    record Client(String id, String name, String hash, Instant issuedAt, Instant revokedAt) {

        ClientTokenRow row() {
            return new ClientTokenRow(id, name, hash, null, LegacyValues.format(issuedAt),
                    LegacyValues.format(revokedAt), null);
        }
    }

    final Section<Client> section;

    ClientRecords(JsonNode records, LongFunction<String> newId) {
        section = new Section<>(RecordKind.CLIENT, records, n -> Keys.text(n, "client_name"));
        section.parse(e -> {
            RecordFields f = RecordFields.of(e, FIELDS);
            String name = f.text("client_name");
            if (!LegacyValues.isClientName(name)) {
                throw new SkipRecord(SkipReason.INVALID_CLIENT_NAME);
            }
            String hash = f.hash("token_hash");
            Instant issued = f.timestamp("issued_at");
            Instant revoked = f.optionalTimestamp("revoked_at");
            return new Client(null, name, hash, issued, revoked);
        });
        section.uniqueBy(Client::hash);
        // Minted only for the clients that are in, so that ids sort by issuance (§6.1).
        section.each(e -> e.value = new Client(newId.apply(LegacyValues.idTime(e.value.issuedAt())), e.value.name(),
                e.value.hash(), e.value.issuedAt(), e.value.revokedAt()));
    }

    /** The client a grant or rule names (§7.3 phase 4). */
    Client resolve(String name) {
        return section.resolve(name, SkipReason.UNKNOWN_CLIENT, SkipReason.CLIENT_NOT_IMPORTED).value;
    }

    List<Client> imported() {
        return section.alive().stream().map(e -> e.value).toList();
    }
}
