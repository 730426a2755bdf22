package dev.portunus.users;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An area that holds rows of a user takes part in deleting that user: inside the delete's
 * transaction, before the user row goes, it removes what it owns and says which ids it removed.
 * This keeps each table with its own area while users, the area everything else refers to, calls
 * no area above it.
 */
public interface UserDeletion {

    /** Deletes this area's rows of {@code userId} on {@code h} and records their ids in {@code removed}. */
    void deleteOwnedBy(Handle h, String userId, Removal removed) throws SQLException;

    /** The ids removed along with a user, by the kinds the answer reports (02-api.md). */
    final class Removal {
        public final List<String> credentialIds = new ArrayList<>();
        public final List<String> grantIds = new ArrayList<>();
        public final List<String> ruleIds = new ArrayList<>();
    }
}
