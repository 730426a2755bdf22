package dev.portunus.grants;

import dev.portunus.store.Handle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of the {@code grants} table; runs inside the caller's transaction. */
public final class GrantRepository {

    private static final String SELECT = "SELECT id, user_id, client, listen_port_start, listen_port_end, protocols, note, "
            + "created_at FROM grants";

    private GrantRepository() {
    }

    public static void insert(Handle h, GrantJson.View g) throws SQLException {
        h.update("INSERT INTO grants (id, user_id, client, listen_port_start, listen_port_end, protocols, note, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", g.grantId(), g.userId(), g.client(), g.listenPortStart(),
                g.listenPortEnd(), protocolsColumn(g.protocols()), g.note(), g.createdAt());
    }

    public static List<GrantJson.View> list(Handle h, String userId) throws SQLException {
        return userId == null ? h.query(SELECT + " ORDER BY user_id, created_at, id", GrantRepository::view)
                : h.query(SELECT + " WHERE user_id = ? ORDER BY created_at, id", GrantRepository::view, userId);
    }

    public static Optional<GrantJson.View> find(Handle h, String id) throws SQLException {
        return h.one(SELECT + " WHERE id = ?", GrantRepository::view, id);
    }

    /** A user's grants for the coverage rule, oldest first. */
    public static List<Grant> grantsOf(Handle h, String userId) throws SQLException {
        return h.query("SELECT id, user_id, client, listen_port_start, listen_port_end, protocols FROM grants "
                + "WHERE user_id = ? ORDER BY created_at, id", GrantRepository::grant, userId);
    }

    public static Optional<Grant> grant(Handle h, String id) throws SQLException {
        return h.one("SELECT id, user_id, client, listen_port_start, listen_port_end, protocols FROM grants WHERE id = ?",
                GrantRepository::grant, id);
    }

    /** User id → grant count, for one user or (null) all. */
    public static Map<String, Long> countsByUser(Handle h, String userId) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        h.query("SELECT user_id, count(*) FROM grants WHERE (?1 IS NULL OR user_id = ?1) GROUP BY user_id",
                rs -> counts.put(Handle.text(rs, 1), rs.getLong(2)), userId);
        return counts;
    }

    public static void delete(Handle h, String id) throws SQLException {
        h.update("DELETE FROM grants WHERE id = ?", id);
    }

    /** Ids of a user's grants, then deletes them (the user is being deleted). */
    public static List<String> deleteForUser(Handle h, String userId) throws SQLException {
        List<String> ids = h.query("SELECT id FROM grants WHERE user_id = ? ORDER BY id", rs -> Handle.text(rs, 1), userId);
        h.update("DELETE FROM grants WHERE user_id = ?", userId);
        return ids;
    }

    static String protocolsColumn(List<String> protocols) {
        return protocols.size() == 2 ? "both" : protocols.get(0);
    }

    /** The protocols of a {@code protocols} column value ({@code tcp}, {@code udp}, {@code both}). */
    public static List<String> protocolsList(String column) {
        return "both".equals(column) ? List.of("tcp", "udp") : List.of(column);
    }

    private static Grant grant(ResultSet rs) throws SQLException {
        return new Grant(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), rs.getInt(4), rs.getInt(5), Handle.text(rs, 6));
    }

    private static GrantJson.View view(ResultSet rs) throws SQLException {
        return new GrantJson.View(Handle.text(rs, 1), Handle.text(rs, 2), Handle.text(rs, 3), rs.getInt(4), rs.getInt(5),
                protocolsList(Handle.text(rs, 6)), Handle.text(rs, 7), Handle.text(rs, 8));
    }
}
