package dev.portunus.store;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import org.sqlite.SQLiteJDBCLoader;

/**
 * SQLite's native library, loaded once before the first connection of any process. The driver
 * would otherwise report a library it cannot load as "Error opening connection", which every caller
 * would pass on as a problem with the store file. Loaded from {@code org.sqlite.lib.path} when the
 * launcher sets it (the copy unpacked at build time), else unpacked by the driver into
 * {@code java.io.tmpdir}.
 */
public final class SqliteLibrary {

    private static volatile boolean loaded;

    private SqliteLibrary() {
    }

    /**
     * Loads the library or refuses: exit 78 with {@code startup.sqlite_unavailable}, naming where it
     * looked, before any file is touched.
     */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (SqliteLibrary.class) {
            if (loaded) {
                return;
            }
            try {
                SQLiteJDBCLoader.initialize();
                loaded = true;
            } catch (Exception | LinkageError e) {
                String libPath = System.getProperty("org.sqlite.lib.path");
                throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_SQLITE_UNAVAILABLE)
                        .with("reason", String.valueOf(e.getMessage()).replaceAll("\\s+", " "))
                        .with("lib_path", libPath == null ? "-" : libPath)
                        .with("tmpdir", System.getProperty("java.io.tmpdir"))
                        .hint("SQLite's native library could not be loaded: run through portunus-server, which loads the copy "
                                + "shipped beside the app, or give java.io.tmpdir a writable directory that allows exec; "
                                + "nothing was changed"), e);
            }
        }
    }
}
