package dev.portunus.settings;

import dev.portunus.store.Handle;
import dev.portunus.store.SqliteFile;
import java.sql.SQLException;
import java.util.Optional;

/**
 * SQL of {@code server_settings}, the one-row store of facts the server keeps about itself
 * ({@code settings_json}): the time of the last backup, the advertised-endpoint override, and whatever
 * later features record there.
 * Each value is one top-level key of the JSON object.
 */
public final class SettingsRepository {

    /** Unix seconds of the last backup taken by any process ({@code backup} or {@code serve}). */
    public static final String LAST_BACKUP_UNIX = "last_backup_unix";

    /**
     * Unix seconds of the start of the last successful scheduled backup: the schedule survives
     * restarts through it (07-scheduled-backups.md §2). API backups and snapshots do not set it.
     */
    public static final String LAST_SCHEDULED_BACKUP_UNIX = "last_scheduled_backup_unix";

    /**
     * RFC 3339 time of the {@code import-legacy} run that filled this store (05-legacy.md §9 Q6); from
     * then on {@code serve} reports legacy files in the data-dir as already imported.
     */
    public static final String LEGACY_IMPORTED_AT = "legacy_imported_at";

    /**
     * The runtime override of the advertised endpoint ({@code host:port}, a JSON string), set by
     * {@code PUT /v1/settings/advertised-endpoint}; absent when none (06-traffic.md §3).
     */
    public static final String ADVERTISED_ENDPOINT = "advertised_endpoint";

    private static final String EXTRACT = "SELECT json_extract(settings_json, '$.' || ?) FROM server_settings WHERE id = 1";

    private SettingsRepository() {
    }

    /** Sets one key to a number, creating the row when missing. */
    public static void putNumber(Handle h, String key, long value, String now) throws SQLException {
        put(h, key, value, now);
    }

    /** Sets one key to a JSON string (e.g. an RFC 3339 time), creating the row when missing. */
    public static void putText(Handle h, String key, String value, String now) throws SQLException {
        put(h, key, value, now);
    }

    private static void put(Handle h, String key, Object value, String now) throws SQLException {
        h.update("INSERT INTO server_settings (id, settings_json, updated_at) VALUES (1, json_object(?1, ?2), ?3) "
                + "ON CONFLICT (id) DO UPDATE SET settings_json = json_set(settings_json, '$.' || ?1, ?2), "
                + "updated_at = ?3", key, value, now);
    }

    /** Removes one key (a no-op when it or the row is missing). */
    public static void remove(Handle h, String key, String now) throws SQLException {
        h.update("UPDATE server_settings SET settings_json = json_remove(settings_json, '$.' || ?1), updated_at = ?2 "
                + "WHERE id = 1 AND json_type(settings_json, '$.' || ?1) IS NOT NULL", key, now);
    }

    /** The number under {@code key}, if set. */
    public static Optional<Double> number(Handle h, String key) throws SQLException {
        return h.one(EXTRACT,
                rs -> {
                    double v = rs.getDouble(1);
                    return rs.wasNull() ? null : v;
                }, key);
    }

    /**
     * The text under {@code key}, if set: a JSON string as is, any other JSON value in its SQL text
     * form (a hand-edited row may hold anything; callers validate).
     */
    public static Optional<String> text(Handle h, String key) throws SQLException {
        return h.one(EXTRACT,
                rs -> Handle.text(rs, 1), key);
    }

    /** True in stores that have the table (every migrated store; not a fresh, unmigrated file). */
    public static boolean present(Handle h) throws SQLException {
        return SqliteFile.tableExists(h.connection(), "server_settings");
    }
}
