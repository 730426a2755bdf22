package dev.portunus.store;

import dev.portunus.files.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * Direct, pool-less access to one SQLite file: the header test, the per-connection PRAGMAs, the
 * consistency checks and the schema version. Used by startup checks and the command-mode entry
 * points, which must look at a file before anything (Flyway, the pool) is allowed to touch it.
 */
public final class SqliteFile {

    static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** The PRAGMAs every connection runs with (01-store.md §2); the pool URL carries the same. */
    public static final String CONNECTION_PRAGMAS =
            "journal_mode=WAL&synchronous=NORMAL&foreign_keys=on&busy_timeout=5000&temp_store=MEMORY";

    private SqliteFile() {
    }

    /**
     * Not a PRAGMA: the driver's own switch. Left on, it matches every statement it runs (a
     * {@code COMMIT} too) against a regular expression, in case the caller asks for generated keys,
     * which nothing here does: 3.5 % of the server's CPU in a profile of credential mints.
     */
    static final String DRIVER_OPTIONS = "jdbc.get_generated_keys=false";

    public static String jdbcUrl(Path db) {
        return "jdbc:sqlite:" + db.toAbsolutePath() + "?" + CONNECTION_PRAGMAS + "&" + DRIVER_OPTIONS;
    }

    /**
     * The URL of {@code serve}'s pool: the store's PRAGMAs, and no automatic checkpoints. SQLite would
     * run one inside the commit of whichever write crosses 1000 WAL pages, two fsyncs while that
     * writer holds the single write lock; {@link WalCheckpointer} runs them beside the writers instead.
     */
    public static String poolJdbcUrl(Path db) {
        return jdbcUrl(db) + "&wal_autocheckpoint=0";
    }

    /**
     * A connection on {@code db} with no PRAGMAs at all: for a file that is not (yet) a store, e.g. a
     * fresh file whose first PRAGMAs must be chosen in order, or a backup copy being finished.
     */
    public static Connection openPlain(Path db) throws SQLException {
        return connect("jdbc:sqlite:" + db.toAbsolutePath(), new java.util.Properties());
    }

    /**
     * Opens through the driver directly, not {@link java.sql.DriverManager}: the manager only hands a
     * driver to callers of the class loader that registered it, which a test JVM running several
     * Quarkus applications does not guarantee.
     */
    private static Connection connect(String url, java.util.Properties properties) throws SQLException {
        SqliteLibrary.ensureLoaded();
        return org.sqlite.JDBC.createConnection(url, properties);
    }

    /** True when the file starts with the 16-byte SQLite magic. */
    public static boolean hasSqliteHeader(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            return Arrays.equals(head, MAGIC);
        }
    }

    /**
     * A pool-less datasource on {@code db} with the store's PRAGMAs, for the commands that write the
     * store through {@link Store} without {@code serve} (the offline user helpers).
     */
    public static javax.sql.DataSource dataSource(Path db) {
        SqliteLibrary.ensureLoaded();
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl(jdbcUrl(db));
        return ds;
    }

    /** A read-write connection with the store's PRAGMAs (WAL, NORMAL sync, FKs, busy timeout). */
    public static Connection openStore(Path db) throws SQLException {
        return connect(jdbcUrl(db), new java.util.Properties());
    }

    /**
     * A read-only connection that cannot change the file or create sidecars: used on backup
     * artefacts, which are single-file rollback-journal databases.
     */
    public static Connection openReadOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        return connect("jdbc:sqlite:file:" + file.toAbsolutePath() + "?immutable=1", config.toProperties());
    }

    /**
     * A read-only connection to a live store: sees committed WAL frames, never changes the database
     * file and never switches its journal mode (a startup check must not alter what it judges).
     */
    public static Connection openReadOnlyLive(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        return connect("jdbc:sqlite:" + db.toAbsolutePath(), config.toProperties());
    }

    /**
     * Creates a new, empty store file. {@code auto_vacuum} must be chosen before the first page is
     * written, and switching to WAL is what writes that first page, so the order matters.
     */
    public static void createEmpty(Path db) throws IOException, SQLException {
        FileOps.createPrivateFile(db);
        try (Connection c = openPlain(db);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA auto_vacuum=INCREMENTAL");
            String mode = pragmaText(s, "PRAGMA journal_mode=WAL");
            if (!"wal".equalsIgnoreCase(mode) || !"2".equals(pragmaText(s, "PRAGMA auto_vacuum"))) {
                throw new SQLException("the new store did not take WAL mode and incremental auto_vacuum (journal_mode="
                        + mode + ")");
            }
        }
    }

    /**
     * {@code PRAGMA wal_checkpoint(TRUNCATE)}; throws unless every WAL frame reached the database
     * file (another process reading an old snapshot makes it return "busy" instead of failing).
     */
    public static void checkpointFully(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (rs.next() && rs.getInt(1) != 0) {
                throw new SQLException("[SQLITE_BUSY] the WAL checkpoint could not complete: another process is reading the store",
                        null, 5);
            }
        }
    }

    /**
     * {@code PRAGMA wal_checkpoint(PASSIVE)}: copies what it can of the WAL into the database file
     * without waiting for (or blocking) the writer or readers.
     */
    public static Checkpoint checkpointPassive(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return rs.next() ? new Checkpoint(rs.getInt(2), rs.getInt(3)) : new Checkpoint(0, 0);
        }
    }

    /**
     * What {@code PRAGMA wal_checkpoint} reports: the WAL's length in frames and how many of them are
     * in the database file now (-1 each when the store is not in WAL mode).
     */
    public record Checkpoint(int walFrames, int copiedFrames) {
    }

    /** The file of the connection's main database ({@code PRAGMA database_list}). */
    static Path mainFile(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString(2))) {
                    return Path.of(rs.getString(3));
                }
            }
        }
        throw new SQLException("the connection has no main database file");
    }

    /** Switches a file to a rollback journal (one self-contained file, as artefacts are); true when it took. */
    public static boolean toRollbackJournal(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return "delete".equalsIgnoreCase(pragmaText(s, "PRAGMA journal_mode=DELETE"));
        }
    }

    /** page_count × page_size: the size in bytes a complete database file has. */
    public static long expectedSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return Long.parseLong(pragmaText(s, "PRAGMA page_count")) * Long.parseLong(pragmaText(s, "PRAGMA page_size"));
        }
    }

    private static String pragmaText(Statement s, String pragma) throws SQLException {
        try (ResultSet rs = s.executeQuery(pragma)) {
            return rs.next() ? Handle.text(rs, 1) : null;
        }
    }

    /**
     * Gives every free page back to the filesystem. {@code incremental_vacuum} frees one page per
     * step of its statement, and JDBC steps a statement without result columns only once, so it is
     * run through {@code sqlite3_exec}, which steps to the end (measured: 22k pages in 0.3 s,
     * against 33 s for one JDBC execute per page).
     */
    public static void incrementalVacuum(Connection c) throws SQLException {
        c.unwrap(SQLiteConnection.class).getDatabase()._exec("PRAGMA incremental_vacuum");
    }

    /**
     * The memory map a check reads the file through, in bytes: this driver's compile-time maximum
     * (1 TiB, {@code MAX_MMAP_SIZE}), to which SQLite would cap a larger value. A check reads every
     * page once, and one {@code read()} per page cost ~20 % of its time (bench/RESULTS.md, issue 10).
     */
    static final long CHECK_MMAP_BYTES = 1L << 40;

    /**
     * {@code PRAGMA quick_check}/{@code integrity_check}: the problems found, empty when sound. The
     * connection reads through a memory map for the check only ({@link #CHECK_MMAP_BYTES}).
     */
    public static List<String> check(Connection c, boolean full) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA mmap_size=" + CHECK_MMAP_BYTES);
            try (ResultSet rs = s.executeQuery(full ? "PRAGMA integrity_check" : "PRAGMA quick_check")) {
                while (rs.next()) {
                    String line = Handle.text(rs, 1);
                    if (!"ok".equals(line)) {
                        problems.add(line);
                    }
                }
            } finally {
                s.execute("PRAGMA mmap_size=0");
            }
        }
        return problems;
    }

    /** Rows of {@code PRAGMA foreign_key_check}, as "table rowid -> parent". */
    public static List<String> foreignKeyViolations(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                problems.add(Handle.text(rs, 1) + " rowid " + rs.getLong(2) + " -> " + Handle.text(rs, 3));
            }
        }
        return problems;
    }

    /**
     * The schema version: the highest successful version in Flyway's history table, 0 when the
     * store has no history (fresh or empty).
     */
    public static int schemaVersion(Connection c) throws SQLException {
        if (!tableExists(c, "flyway_schema_history")) {
            return 0;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL")) {
            int max = 0;
            while (rs.next()) {
                max = Math.max(max, majorVersion(Handle.text(rs, 1)));
            }
            return max;
        }
    }

    static int majorVersion(String version) {
        String head = version.split("[._]")[0];
        try {
            return Integer.parseInt(head);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static boolean tableExists(Connection c, String table) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The tables among {@code tables} that hold at least one row, in the given order. A table this
     * store does not have (an older schema) holds none. Each test stops at the first row.
     */
    public static List<String> tablesWithRows(Connection c, List<String> tables) throws SQLException {
        List<String> filled = new ArrayList<>();
        for (String table : tables) {
            if (!tableExists(c, table)) {
                continue;
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM \"" + table.replace("\"", "\"\"") + "\")")) {
                if (rs.next() && rs.getInt(1) == 1) {
                    filled.add(table);
                }
            }
        }
        return filled;
    }

    /** Row counts of every user table (not SQLite's or Flyway's internals), in name order. */
    public static Map<String, Long> rowCounts(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' "
                        + "AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history' ORDER BY name")) {
            while (rs.next()) {
                tables.add(Handle.text(rs, 1));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                rs.next();
                counts.put(table, rs.getLong(1));
            }
        }
        return counts;
    }
}
