package dev.portunus.grants;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the {@code grants} table. A grant covers a rule when the rule belongs to the grant's user,
 * its client matches (or the grant says '*'), its listen range lies inside the grant's, and its
 * protocol is one the grant allows.
 */
public final class GrantRepository {

    private static final String SELECT = "SELECT id, user_id, client, listen_port_start, listen_port_end, protocols, note, "
            + "created_at FROM grants";

    /** {@code g} covers rule {@code r}. */
    static final String COVERS = "r.owner_id = %1$s.user_id AND (%1$s.client = '*' OR %1$s.client = r.client_id) "
            + "AND r.listen_port >= %1$s.listen_port_start AND r.listen_port_end <= %1$s.listen_port_end "
            + "AND (%1$s.protocols = 'both' OR %1$s.protocols = r.protocol)";

    static final String ORPHANED_BY_DELETE = "SELECT r.id FROM rules r JOIN grants g ON g.id = ? WHERE "
            + COVERS.formatted("g") + " AND NOT EXISTS (SELECT 1 FROM grants o WHERE o.id <> g.id AND "
            + COVERS.formatted("o") + ") ORDER BY r.id";

    private GrantRepository() {
    }

    public static void insert(Handle h, GrantView g) throws SQLException {
        h.update("INSERT INTO grants (id, user_id, client, listen_port_start, listen_port_end, protocols, note, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", g.grantId(), g.userId(), g.client(), g.listenPortStart(),
                g.listenPortEnd(), protocolsColumn(g.protocols()), g.note(), g.createdAt());
    }

    public static List<GrantView> list(Handle h, String userId) throws SQLException {
        return userId == null ? h.query(SELECT + " ORDER BY user_id, created_at, id", GrantRepository::view)
                : h.query(SELECT + " WHERE user_id = ? ORDER BY created_at, id", GrantRepository::view, userId);
    }

    public static Optional<GrantView> find(Handle h, String id) throws SQLException {
        return h.one(SELECT + " WHERE id = ?", GrantRepository::view, id);
    }

    /** The rules that lose their last covering grant when grant {@code id} goes. */
    public static List<String> rulesOnlyCoveredBy(Handle h, String id) throws SQLException {
        return h.query(ORPHANED_BY_DELETE, rs -> rs.getString(1), id);
    }

    public static void delete(Handle h, String id) throws SQLException {
        h.update("DELETE FROM grants WHERE id = ?", id);
    }

    static String protocolsColumn(List<String> protocols) {
        return protocols.size() == 2 ? "both" : protocols.get(0);
    }

    static List<String> protocolsList(String column) {
        return "both".equals(column) ? List.of("tcp", "udp") : List.of(column);
    }

    private static GrantView view(ResultSet rs) throws SQLException {
        return new GrantView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                protocolsList(rs.getString(6)), rs.getString(7), rs.getString(8));
    }
}
