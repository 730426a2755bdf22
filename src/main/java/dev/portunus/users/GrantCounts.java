package dev.portunus.users;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.Map;

/**
 * How many grants each user holds, for {@code UserView.grant_count}. The grants area answers it, as
 * the owner of that table; users, below it, only asks.
 */
public interface GrantCounts {

    /** User id → number of grants, for {@code userId} only, or for every user when it is null. */
    Map<String, Long> grantCounts(Handle h, String userId) throws SQLException;
}
