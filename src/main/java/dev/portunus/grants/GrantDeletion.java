package dev.portunus.grants;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.List;

/**
 * The rules area takes part in deleting a grant: inside the delete's transaction it removes the
 * rules that lose their last covering grant and returns their ids (02-api.md: the delete "cascades
 * the user's rules that the grant covered"). Grants, below rules, calls no area above it.
 */
public interface GrantDeletion {

    List<String> deleteRulesOnlyCoveredBy(Handle h, Grant deleted) throws SQLException;
}
