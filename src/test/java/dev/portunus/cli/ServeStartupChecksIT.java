package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.store.Schema;
import dev.portunus.testing.CliRun;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.Stores;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The startup checks of {@code serve} (01-store.md §2), each from a real process. */
class ServeStartupChecksIT {

    private Path root;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("startup-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void freshDataDirIsCreatedPrivateAndServesUntilSigtermThenExitsZeroWithWalCheckpointed() throws Exception {
        Path dataDir = root.resolve("new/dir");
        try (CliRun.Serving serving = CliRun.create().serve(dataDir)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("state.db"))));
            assertTrue(serving.process().stderr().contains("event=startup.fresh_store path=" + dataDir.resolve("state.db")));
            assertEquals(200, get(serving.url("/q/health/live")).statusCode());
            CliRun.Result stopped = serving.process().terminate(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode(), stopped.toString());
        }
        Path wal = dataDir.resolve("state.db-wal");
        assertTrue(!Files.exists(wal) || Files.size(wal) == 0, "WAL checkpointed at shutdown");
        assertEquals("ok", Sqlite.text(dataDir.resolve("state.db"), "PRAGMA integrity_check"));
        assertEquals(2, Sqlite.scalar(dataDir.resolve("state.db"), "PRAGMA auto_vacuum"), "auto_vacuum=INCREMENTAL");
    }

    @Test
    void aDataDirThatIsAFileIsUnusable() throws IOException {
        Path notADir = Files.writeString(root.resolve("file"), "x");
        CliRun.Result r = CliRun.create().run("serve", "--data-dir", notADir.toString());
        assertEquals(78, r.exitCode(), r.toString());
        assertNotNull(r.eventLine("startup.data_dir_unusable"), r.toString());
        assertTrue(r.eventLine("startup.data_dir_unusable").contains("path=" + notADir));
    }

    @Test
    void tmpfsIsRefusedAsUnsupportedFilesystem() throws IOException {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm), "/dev/shm exists on this machine");
        Path dataDir = Files.createTempDirectory(shm, "portunus-it-");
        try {
            CliRun.Result r = CliRun.create().run("serve", "--data-dir", dataDir.toString());
            assertEquals(78, r.exitCode(), r.toString());
            String line = r.eventLine("startup.unsupported_filesystem");
            assertNotNull(line, r.toString());
            assertTrue(line.contains("fs=tmpfs"), line);
            assertTrue(line.contains("--data-dir"), "the refusal names the remedy: " + line);
            assertFalse(Files.exists(dataDir.resolve("state.db")), "nothing created on tmpfs");
        } finally {
            TestFiles.deleteTree(dataDir);
        }
    }

    @Test
    void aSecondServeOnTheSameDataDirExits75AndTheFirstKeepsServing() throws Exception {
        Path dataDir = root.resolve("data");
        try (CliRun.Serving first = CliRun.create().serve(dataDir)) {
            CliRun.Result second = CliRun.create().run("serve", "--data-dir", dataDir.toString(),
                    "--operator-http-listen", "127.0.0.1:" + CliRun.freePort());
            assertEquals(75, second.exitCode(), second.toString());
            assertTrue(second.eventLine("startup.store_in_use").contains("path=" + dataDir.resolve("state.db")));
            assertEquals(200, get(first.url("/q/health/ready")).statusCode());
            assertTrue(first.process().process().isAlive());
        }
    }

    @Test
    void aStateDbThatIsNotSqliteIsRefusedAndNeverReinitialised() throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Files.writeString(dataDir.resolve("state.db"), "this is somebody's notes file, not a database\n");
        assertRefusedUntouched(dataDir, 78, "startup.store_corrupt");
        assertTrue(CliRun.create().run("serve", "--data-dir", dataDir.toString()).eventLine("startup.store_corrupt")
                .contains("restore --in"), "the refusal points at restore");
    }

    @Test
    void aSqliteFileWithDamagedPagesFailsQuickCheckAndIsRefused() throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Path db = dataDir.resolve("state.db");
        Sqlite.exec(db, "CREATE TABLE t (x TEXT)", "INSERT INTO t SELECT hex(randomblob(500)) FROM "
                + "(WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 200) SELECT i FROM k)",
                "CREATE INDEX t_x ON t (x)");
        byte[] bytes = Files.readAllBytes(db);
        for (int i = 4096 * 2; i < bytes.length - 4096; i += 7) {
            bytes[i] = (byte) 0x5a; // keep the header, scribble over b-tree pages
        }
        Files.write(db, bytes);
        assertRefusedUntouched(dataDir, 78, "startup.store_corrupt");
    }

    @Test
    void aStoreWithANewerSchemaIsRefusedNamingBothVersions() throws IOException {
        Path dataDir = root.resolve("data");
        Stores.migrated(dataDir);
        Sqlite.exec(dataDir.resolve("state.db"), "INSERT INTO flyway_schema_history (installed_rank, version, description, "
                + "type, script, checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', "
                + "'V99__future.sql', 0, 'test', 0, 1)");
        String line = assertRefusedUntouched(dataDir, 78, "startup.schema_version_too_new");
        assertTrue(line.contains("on_disk=99") && line.contains("binary_supports=" + dev.portunus.store.Schema.LATEST_VERSION), line);
    }

    @Test
    void aFailedForwardMigrationExits78AndLeavesTheFileAsItWas() throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        // A store without migration history whose tables clash with the first migration.
        Sqlite.exec(dataDir.resolve("state.db"), "CREATE TABLE users (id TEXT)", "INSERT INTO users VALUES ('x')");
        assertRefusedUntouched(dataDir, 78, "startup.migration_failed");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "from version {0}")
    @org.junit.jupiter.params.provider.MethodSource("dev.portunus.testing.Stores#olderVersions")
    void anOlderStoreMigratesForwardOnServeKeepingItsRows(int version) throws Exception {
        Path dataDir = root.resolve("data");
        // Samples of schema 1's shape, which nothing wrote before version 2: kept, and summed into
        // version 3's per-minute totals.
        Path db = Stores.olderWithTraffic(dataDir.resolve("state.db"), version);
        Sqlite.exec(db, "INSERT INTO server_settings (id, settings_json, updated_at) VALUES (1, '{\"kept\":1}', '2026-01-01T00:00:00Z')");
        try (CliRun.Serving serving = CliRun.create().serve(dataDir)) {
            CliRun.Result stopped = serving.process().terminate(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode());
            String migrated = stopped.eventLine("startup.store_migrated");
            assertNotNull(migrated, stopped.toString());
            assertTrue(migrated.contains("from_version=" + version + " to_version=" + Schema.LATEST_VERSION)
                    && migrated.matches(".* ms=\\d+.*"), migrated);
        }
        assertEquals(Schema.LATEST_VERSION, Stores.schemaVersion(db));
        assertEquals(1, Sqlite.scalar(db, "SELECT json_extract(settings_json, '$.kept') FROM server_settings"));
        assertEquals(Stores.OLDER_SAMPLES, Stores.samples(db));
        assertEquals(Stores.OLDER_TOTALS, Stores.totals(db));
        assertFalse(Files.exists(dataDir.resolve("state.db.pre-migration")), "the safety copy goes once the migration is in");
    }

    @Test
    void aFailingLaterMigrationPutsTheOlderStoreBackAsItWas() throws IOException {
        Path dataDir = root.resolve("data");
        Path db = Stores.atSchemaVersion(dataDir.resolve("state.db"), Schema.LATEST_VERSION - 1);
        // A table in the way of the latest migration's first CREATE.
        String table = firstTableOfLatestMigration();
        Sqlite.exec(db, "CREATE TABLE " + table + " (in_the_way TEXT)");
        String line = assertRefusedUntouched(dataDir, 78, "startup.migration_failed");
        assertTrue(line.contains("from_version=" + (Schema.LATEST_VERSION - 1)) && line.contains("to_version=" + Schema.LATEST_VERSION), line);
        assertFalse(Files.exists(dataDir.resolve("state.db.pre-migration")));
    }

    private static String firstTableOfLatestMigration() throws IOException {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            Path latest = files.filter(f -> f.getFileName().toString().startsWith("V" + Schema.LATEST_VERSION + "__"))
                    .findFirst().orElseThrow();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("CREATE TABLE (\\w+)").matcher(Files.readString(latest));
            assertTrue(m.find(), "the latest migration creates a table");
            return m.group(1);
        }
    }

    @Test
    void legacyJsonFilesAreReportedButDoNotStopServe() throws Exception {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Files.writeString(dataDir.resolve("tokens.json"), "{}");
        Files.writeString(dataDir.resolve("unrelated.txt"), "ignored");
        try (CliRun.Serving serving = CliRun.create().serve(dataDir)) {
            String line = serving.process().stderr().lines().filter(l -> l.contains("event=startup.legacy_file_found"))
                    .findFirst().orElseThrow();
            assertTrue(line.contains("path=" + dataDir.resolve("tokens.json")), line);
            assertTrue(line.contains("WARN"), line);
        }
    }

    @Test
    void startupChecksRunInTheContractOrderLockBeforeStoreContent() throws IOException {
        // A corrupt store that another serve holds: the lock check (75) comes before the corrupt check (78).
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Files.writeString(dataDir.resolve("state.db"), "garbage");
        Files.createFile(dataDir.resolve("state.db.lock"));
        try (var ch = java.nio.channels.FileChannel.open(dataDir.resolve("state.db.lock"),
                java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
            CliRun.Result r = CliRun.create().run("serve", "--data-dir", dataDir.toString());
            assertEquals(75, r.exitCode(), r.toString());
        }
    }

    @Test
    void aMalformedServerTomlIsRefusedWithItsLine() throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Files.writeString(dataDir.resolve("server.toml"), "log_format = \"text\"\noperator_http_listen = [oops\n");
        CliRun.Result r = CliRun.create().run("serve", "--data-dir", dataDir.toString());
        assertEquals(78, r.exitCode(), r.toString());
        String line = r.eventLine("startup.config_invalid");
        assertTrue(line.contains("path=" + dataDir.resolve("server.toml")) && line.contains("line=2"), line);
        assertFalse(Files.exists(dataDir.resolve("state.db")), "refused before the store was created");
    }

    @Test
    void anUnknownServerTomlKeyIsRefusedNamingTheKey() throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        Files.writeString(dataDir.resolve("server.toml"), "# comment\n\noperator_htp_listen = \"127.0.0.1:1\"\n");
        CliRun.Result r = CliRun.create().run("serve", "--data-dir", dataDir.toString());
        assertEquals(78, r.exitCode(), r.toString());
        String line = r.eventLine("startup.config_invalid");
        assertTrue(line.contains("key=operator_htp_listen") && line.contains("line=3"), line);
    }

    @Test
    void configLayersDefaultsThenTomlThenEnvironmentThenFlags() throws Exception {
        Path dataDir = Files.createDirectories(root.resolve("data"));
        int tomlPort = CliRun.freePort();
        int envPort = CliRun.freePort();
        Files.writeString(dataDir.resolve("server.toml"), "operator_http_listen = \"127.0.0.1:" + tomlPort + "\"\n");
        // Environment beats server.toml.
        CliRun.Background p = CliRun.create().env("PORTUNUS_OPERATOR_HTTP_LISTEN", "127.0.0.1:" + envPort)
                .start("serve", "--data-dir", dataDir.toString(), "--client-listen", "127.0.0.1:0");
        try {
            p.awaitHttp200("http://127.0.0.1:" + envPort + "/q/health/ready", Duration.ofSeconds(60));
        } finally {
            assertEquals(0, p.terminate(Duration.ofSeconds(30)).exitCode());
        }
        // server.toml beats the default, and the flag (CliRun.serve passes one) beats both.
        CliRun.Background q = CliRun.create().start("serve", "--data-dir", dataDir.toString(), "--client-listen", "127.0.0.1:0");
        try {
            q.awaitHttp200("http://127.0.0.1:" + tomlPort + "/q/health/ready", Duration.ofSeconds(60));
        } finally {
            q.terminate(Duration.ofSeconds(30));
        }
    }

    /** Runs serve, asserts exit code and event, and that the data-dir's bytes did not change. */
    private static String assertRefusedUntouched(Path dataDir, int exit, String event) {
        Map<String, String> before = TestFiles.snapshot(dataDir);
        before.remove("state.db.lock"); // the lock sentinel may be created by the lock check
        CliRun.Result r = CliRun.create().run("serve", "--data-dir", dataDir.toString(),
                "--operator-http-listen", "127.0.0.1:" + CliRun.freePort());
        assertEquals(exit, r.exitCode(), r.toString());
        String line = r.eventLine(event);
        assertNotNull(line, r.toString());
        assertTrue(line.contains("path=") && line.contains("hint="), "a refusal names the path and a remedy: " + line);
        Map<String, String> after = TestFiles.snapshot(dataDir);
        after.remove("state.db.lock");
        assertEquals(before, after, "data-dir byte-identical after the refusal");
        return line;
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
