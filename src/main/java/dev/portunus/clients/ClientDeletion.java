package dev.portunus.clients;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.List;

/**
 * The rules area says which rules go with a deleted client (the foreign key removes them in the same
 * transaction), for the answer's {@code removed_rule_ids}. Clients, below rules, calls no area above it.
 */
public interface ClientDeletion {

    List<String> rulesRemovedWith(Handle h, String clientId) throws SQLException;
}
