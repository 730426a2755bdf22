package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.testing.CliRun;
import dev.portunus.testing.ClientProcessSupport;
import dev.portunus.testing.Privileged;
import dev.portunus.testing.RawHttp;
import dev.portunus.testing.Sqlite;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code import-legacy} through the built jar (05-legacy.md §7, §9): the exit codes of §7.6, refusals
 * that leave the data-dir byte-identical (no store, lock or sidecar appears where there was none),
 * the small realistic set row by row with its audit row and marker, old operator and client tokens
 * accepted by a real {@code serve}, and a large generated set with its time and peak RSS.
 */
class ImportLegacyCommandIT {

    private static final String SMALL = "valid-small";
    private static final String SMALL_SUMMARY =
            "users=4 credentials=5 grants=3 clients=3 rules=4 rule_targets=3 skipped=0 warnings=3";

    /** A data-dir holding the store a first {@code serve} leaves behind (stopped cleanly). */
    private static Path firstServeTemplate;

    private Path root;

    @BeforeAll
    static void makeTemplate() {
        firstServeTemplate = TestFiles.tempDir("import-legacy-template-").resolve("data");
        try (CliRun.Serving s = CliRun.create().serve(firstServeTemplate)) {
            CliRun.Result stopped = s.process().terminate(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode(), stopped.toString());
        }
    }

    @AfterAll
    static void dropTemplate() {
        TestFiles.deleteTree(firstServeTemplate.getParent());
    }

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("import-legacy-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    // ---- refusals that write nothing -----------------------------------------------------------

    @Test
    void whileServeRunsItExits75AndWritesNothing() {
        Path data = root.resolve("data");
        Path from = copyOf(SMALL, root.resolve("old"));
        Map<String, String> legacyBefore = TestFiles.snapshot(from);
        try (CliRun.Serving s = CliRun.create().serve(data)) {
            CliRun.Result r = importLegacy(data, "--from", from.toString());
            assertEquals(75, r.exitCode(), r.toString());
            String line = r.eventLine("startup.store_in_use");
            assertTrue(line.contains("refused=import-legacy") && line.contains("path=" + data.resolve("state.db")), line);
            assertFalse(r.hasEvent("cli.import_complete") || r.hasEvent("import.mapping"), r.toString());
            assertEquals(0, s.process().terminate(Duration.ofSeconds(30)).exitCode());
        }
        Path db = data.resolve("state.db");
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM users"));
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM audit WHERE actor = '_import'"));
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM server_settings "
                + "WHERE json_extract(settings_json, '$.legacy_imported_at') IS NOT NULL"));
        assertEquals(legacyBefore, TestFiles.snapshot(from));
    }

    @ParameterizedTest(name = "a row in {0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "users;INSERT INTO users (id, role, display_name, created_at) VALUES ('x', 'user', 'X', '2025-01-01T00:00:00.000Z')",
        // A V2 table (06-traffic.md §2.6) counts as well.
        "traffic_rollup_state;INSERT INTO traffic_rollup_state (id, last_rolled_hour) VALUES (1, '2025-01-01T00:00:00.000Z')"})
    void aNonEmptyStoreIsRefusedNamingItsPathAndStaysByteIdentical(String table, String insert) {
        Path data = copyOfTemplate(root.resolve("data"));
        Sqlite.exec(data.resolve("state.db"), insert);
        copyInto(SMALL, data);
        Map<String, String> before = TestFiles.snapshot(data);
        CliRun.Result r = importLegacy(data);
        assertEquals(1, r.exitCode(), r.toString());
        String line = r.eventLine("cli.import_refused");
        assertTrue(line.contains("path=" + data.resolve("state.db")) && line.contains("reason=store_not_empty")
                && line.contains("tables=" + table), line);
        assertEquals(before, TestFiles.snapshot(data));
    }

    @Test
    void aDryRunPrintsTheWholeReportAndCreatesNothing() throws IOException {
        // No store yet: none may appear, nor a lock or sidecar.
        Path data = copyOf(SMALL, root.resolve("data"));
        Map<String, String> before = TestFiles.snapshot(data);
        CliRun.Result r = importLegacy(data, "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.import_complete").endsWith(SMALL_SUMMARY), r.eventLine("cli.import_complete"));
        assertEquals(2, mappings(r, "user").size());
        assertEquals(3, mappings(r, "client").size());
        assertEquals(4, mappings(r, "rule").size());
        assertEquals(3, r.stderr().lines().filter(l -> l.contains("event=import.record_warning")).count());
        assertTrue(r.hasEvent("cli.import_dry_run"), r.toString());
        assertEquals("", r.stdout());
        assertEquals(before, TestFiles.snapshot(data));

        // A store a first serve left, without its lock file: the look inside leaves no lock or sidecar behind.
        Path existing = copyOfTemplate(root.resolve("existing"));
        Files.delete(existing.resolve("state.db.lock"));
        copyInto(SMALL, existing);
        Map<String, String> existingBefore = TestFiles.snapshot(existing);
        CliRun.Result again = importLegacy(existing, "--dry-run");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(existingBefore, TestFiles.snapshot(existing));
    }

    @Test
    void strictRefusesAnySkipAndWritesNothingWhileTheDefaultImportsWithSkips() {
        Path data = copyOf("edge", root.resolve("data"));
        Map<String, String> before = TestFiles.snapshot(data);
        CliRun.Result strict = importLegacy(data, "--strict");
        assertEquals(1, strict.exitCode(), strict.toString());
        long skips = strict.stderr().lines().filter(l -> l.contains("event=import.record_skipped")).count();
        assertTrue(skips > 0, strict.toString());
        List<String> lines = strict.stderr().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("event=cli.import_refused reason=records_skipped skipped=" + skips), last);
        assertFalse(strict.hasEvent("cli.import_complete"), strict.toString());
        assertEquals(before, TestFiles.snapshot(data));

        CliRun.Result lenient = importLegacy(data);
        assertEquals(0, lenient.exitCode(), lenient.toString());
        assertTrue(lenient.eventLine("cli.import_complete").contains("skipped=" + skips), lenient.toString());
    }

    @Test
    void nothingToImportExits1AndCreatesNoDataDir() throws IOException {
        Path data = root.resolve("data");
        Path empty = Files.createDirectories(root.resolve("empty"));
        CliRun.Result r = importLegacy(data, "--from", empty.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.eventLine("cli.import_refused").contains("reason=nothing_to_import"), r.toString());
        assertFalse(Files.exists(data), "no data-dir appears");

        CliRun.Result usage = importLegacy(data, "--tokens", root.resolve("missing.json").toString());
        assertEquals(2, usage.exitCode(), usage.toString());
        assertTrue(usage.eventLine("cli.import_refused").contains("flag=--tokens"), usage.toString());
        assertFalse(Files.exists(data), "no data-dir appears");
    }

    /**
     * One malformed file per file-level reason of §7.2, under its legacy name next to the other two
     * valid files, in a data-dir holding the store a first serve left: nothing at all is written.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "too_large, rules.json, ",
        "not_utf8, tokens.json, not_utf8--latin1.tokens.json",
        "empty_file, tokens.json, empty_file--zero-bytes.tokens.json",
        "too_deep, identity.json, too_deep--65-levels.identity.json",
        "duplicate_key, identity.json, duplicate_key--in-record.identity.json",
        "invalid_json, tokens.json, invalid_json--trailing-comma-object.tokens.json",
        "invalid_shape, tokens.json, invalid_shape--tokens-null.tokens.json",
        "version_missing, rules.json, version_missing--rules.rules.json",
        "unsupported_version, tokens.json, unsupported_version--2.tokens.json"})
    void eachFileLevelRefusalWritesNothing(String reason, String legacyName, String fixture) throws IOException {
        Path data = copyOfTemplate(root.resolve("data"));
        copyInto(SMALL, data);
        Path bad = data.resolve(legacyName);
        if (fixture == null) {
            Files.delete(bad);
            try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
                f.setLength(LegacyImportPlanner.MAX_FILE_BYTES + 1); // sparse: no disk space used
            }
        } else {
            Files.copy(Fixtures.resource("malformed/" + fixture), bad, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> before = TestFiles.snapshot(data);
        CliRun.Result r = importLegacy(data);
        assertEquals(1, r.exitCode(), r.toString());
        String line = r.eventLine("cli.import_refused");
        assertTrue(line.contains("file=" + legacyName + " reason=" + reason + " ") && line.contains("path=" + bad), line);
        assertFalse(r.hasEvent("cli.import_complete") || r.hasEvent("import.mapping"), r.toString());
        assertEquals(before, TestFiles.snapshot(data));
    }

    @Test
    void aFailureInsideTheTransactionRollsEveryRowBack() {
        // The last table written (rules) refuses: users, clients, credentials and grants went in first.
        Path data = copyOfTemplate(root.resolve("data"));
        Sqlite.exec(data.resolve("state.db"),
                "CREATE TRIGGER no_rules BEFORE INSERT ON rules BEGIN SELECT RAISE(ABORT, 'rules refused by test'); END");
        copyInto(SMALL, data);
        Map<String, String> before = TestFiles.snapshot(data);
        CliRun.Result r = importLegacy(data);
        assertEquals(1, r.exitCode(), r.toString());
        String line = r.eventLine("cli.import_failed");
        assertTrue(line.contains("path=" + data.resolve("state.db")) && line.contains("rules refused by test"), line);
        assertFalse(r.hasEvent("cli.import_complete"), r.toString());
        assertEquals(before, TestFiles.snapshot(data));
    }

    @Test
    void aFullDiskWhileWritingLeavesNoStoreBehind() throws IOException {
        Privileged.assumeRoot();
        StringBuilder tokens = new StringBuilder("{\"version\": 1, \"tokens\": [");
        for (int i = 0; i < 20_000; i++) {
            tokens.append(i == 0 ? "" : ",").append("{\"client_name\": \"c-").append(i).append("\", \"token_hash\": \"")
                    .append(LargeSetImportTest.hash(i, false)).append("\", \"issued_at\": \"2025-01-01T00:00:00Z\"}");
        }
        Path from = Files.createDirectories(root.resolve("old"));
        Files.writeString(from.resolve("tokens.json"), tokens.append("]}"));
        // About 800 KiB free: room for the new, migrated store, not for 20 000 clients.
        try (Privileged.LoopFs fs = Privileged.LoopFs.mount(root.resolve("fs"),
                2048)) {
            Path data = fs.path().resolve("data");
            CliRun.Result r = importLegacy(data, "--from", from.toString());
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.eventLine("cli.import_failed").contains("SQLITE_FULL"), r.toString());
            assertFalse(Files.exists(data), "the data-dir this run created is gone again: "
                    + Privileged.names(fs.path()));
        }
    }

    // ---- the small realistic set ---------------------------------------------------------------

    @Test
    void everyRowOfTheSmallSetIsInTheStoreWithTheAuditRowAndTheMarker() throws IOException {
        Path data = root.resolve("data");
        Path from = copyOf(SMALL, root.resolve("old"));
        Map<String, String> legacyBefore = TestFiles.snapshot(from);
        CliRun.Result r = importLegacy(data, "--from", from.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Path db = data.resolve("state.db");
        assertEquals(db.toString(), r.stdout().strip());
        assertTrue(r.eventLine("cli.import_complete").endsWith(SMALL_SUMMARY), r.toString());
        assertEquals(Map.of("_legacy", "legacy", "_superadmin", "superadmin"), mappings(r, "user"));
        Map<String, String> c = mappings(r, "client");
        Map<String, String> rule = mappings(r, "rule");
        assertEquals(List.of("edge-1", "edge-2", "home"), List.copyOf(c.keySet()));
        assertEquals(List.of("0", "1", "2", "3"), List.copyOf(rule.keySet()));

        assertEquals(List.of(
                "legacy|superadmin|operator_token shortcut|0|null|0|2025-01-01T00:00:00.250Z",
                "superadmin|superadmin|Superadmin|0|null|0|2025-01-02T10:00:00.000Z",
                "alice|user|Alice Ä. Example|0|null|0|2025-01-20T13:59:59.999Z",
                "bob|user|Bob|1|null|0|2025-02-28T22:00:00.000Z"),
                Sqlite.rows(db, "SELECT id, role, display_name, disabled, password_hash, password_change_required, "
                        + "created_at FROM users ORDER BY rowid"));
        assertEquals(List.of(
                c.get("edge-1") + "|edge-1|" + h("edge-1") + "|null|2025-01-10T08:00:00.123Z|null|null",
                c.get("edge-2") + "|edge-2|" + h("edge-2") + "|null|2025-02-01T09:30:00.000Z|2025-06-01T00:00:00.500Z|null",
                c.get("home") + "|home|" + h("home") + "|null|2025-03-15T12:00:00.000Z|null|null"),
                Sqlite.rows(db, "SELECT id, display_name, token_hash, address, issued_at, revoked_at, last_seen_at "
                        + "FROM client_tokens ORDER BY rowid"));
        assertEquals(List.of(
                "01JGFJJZ7TWXWCBYB6WK952SWA|legacy|" + h("cred-0") + "|operator_token (server.toml)|active|"
                        + "2025-01-01T00:00:00.250Z|null|null",
                "01JGK7AA800432CF1XMWCEJZ05|superadmin|" + h("cred-1") + "|bootstrap|active|2025-01-02T10:00:00.000Z|null|"
                        + "2025-07-01T17:45:12.998Z",
                "01JJ206Q7MXHT5GMEJ146S6JR4|alice|" + h("cred-2") + "|laptop|active|2025-01-20T14:00:00.500Z|null|null",
                "01JK5E11X010DD3YRST4CHN5KN|alice|" + h("cred-3") + "|null|revoked|2025-02-03T08:15:00.000Z|"
                        + "2025-04-01T00:00:00.000Z|null",
                "01JN7G1C000T78F603XZBCWC8T|bob|" + h("cred-4") + "|ci|active|2025-03-01T00:00:00.000Z|null|"
                        + "2025-03-02T00:00:00.000Z"),
                Sqlite.rows(db, "SELECT id, user_id, token_hash, label, status, issued_at, revoked_at, last_used_at "
                        + "FROM credentials ORDER BY rowid"));
        assertEquals(List.of(
                "01JJ41E3M0R7STD0HK1DBS629D|alice|" + c.get("edge-1") + "|8000|8099|tcp|web|2025-01-21T09:00:00.000Z",
                "01JJ6KTTM0WG0NJR445DF0QQX8|alice|*|20000|20010|both|null|2025-01-22T09:00:00.000Z",
                "01JPF2WXM0Y8RB9KEFCACRY5T3|bob|" + c.get("home") + "|9000|9000|udp|null|2025-03-16T09:00:00.000Z"),
                Sqlite.rows(db, "SELECT id, user_id, client, listen_port_start, listen_port_end, protocols, note, created_at "
                        + "FROM grants ORDER BY rowid"));
        String noCaps = "|null|null|null|null|null|null|null|Pending|";
        assertEquals(List.of(
                rule.get("0") + "|" + c.get("edge-1") + "|alice|8080|8080|10.0.0.5|80|80|tcp|null|0|null" + noCaps
                        + "2025-01-21T10:00:00.123Z|2025-01-21T10:00:01.000Z",
                rule.get("1") + "|" + c.get("edge-1") + "|alice|8081|8090|backend.internal|9081|9090|tcp|null|1|null" + noCaps
                        + "2025-01-21T11:00:00.000Z|2025-01-21T11:00:00.000Z",
                rule.get("2") + "|" + c.get("home") + "|bob|9000|9000|null|null|null|udp|null|0|30" + noCaps
                        + "2025-03-16T10:00:00.000Z|2025-03-16T10:00:02.500Z",
                rule.get("3") + "|" + c.get("edge-1") + "|superadmin|20005|20005|db.example.com|5432|5432|udp|null|0|null"
                        + noCaps + "2025-02-01T00:00:00.000Z|2025-02-01T00:00:00.000Z"),
                Sqlite.rows(db, "SELECT id, client_id, owner_id, listen_port, listen_port_end, target_host, target_port, "
                        + "target_port_end, protocol, sni_pattern, prefer_ipv6, health_check_interval_secs, bandwidth_in_bps, "
                        + "bandwidth_out_bps, new_connections_per_sec, concurrent_connections, bandwidth_in_burst, "
                        + "bandwidth_out_burst, new_connections_burst, state, created_at, updated_at FROM rules ORDER BY rowid"));
        assertEquals(List.of(
                rule.get("2") + "|0|192.168.1.10|53|0|null",
                rule.get("2") + "|1|192.168.1.11|53|1|null",
                rule.get("2") + "|2|dns.example.net|5353|1|null"),
                Sqlite.rows(db, "SELECT rule_id, idx, host, port, priority, proxy_protocol FROM rule_targets ORDER BY rowid"));

        // The one audit row and the marker, written in the same transaction (§9 Q6, Q7).
        List<String> audit = Sqlite.rows(db, "SELECT ts, actor, role, method, path, outcome, reason FROM audit");
        assertEquals(1, audit.size(), audit.toString());
        String ts = audit.get(0).substring(0, audit.get(0).indexOf('|'));
        assertTrue(ts.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), ts);
        assertEquals(ts + "|_import|null|CLI|import-legacy|allow|" + SMALL_SUMMARY, audit.get(0));
        assertEquals(ts, Sqlite.text(db, "SELECT json_extract(settings_json, '$.legacy_imported_at') FROM server_settings"));
        // Every other table stays empty (§6.6).
        for (String table : List.of("client_enrollments", "rate_limit_owner", "traffic_quotas", "traffic_samples_1m",
                "traffic_samples_1h", "web_sessions", "login_attempts", "onboarding_setup", "traffic_report_state",
                "traffic_counters", "traffic_rollup_state")) {
            assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM " + table), table);
        }
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM pragma_foreign_key_check"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        assertFalse(Files.exists(data.resolve("state.db-wal")) || Files.exists(data.resolve("state.db-shm")),
                "the last connection folded the WAL in");
        assertEquals(legacyBefore, TestFiles.snapshot(from), "the legacy files are only read");
    }

    @Test
    void aSecondImportIsRefusedAsNonEmptyAndChangesNothing() {
        Path data = copyOf(SMALL, root.resolve("data"));
        assertEquals(0, importLegacy(data).exitCode());
        Map<String, String> after = TestFiles.snapshot(data);
        CliRun.Result again = importLegacy(data);
        assertEquals(1, again.exitCode(), again.toString());
        String line = again.eventLine("cli.import_refused");
        assertTrue(line.contains("reason=store_not_empty tables=users,credentials,grants,client_tokens,rules,rule_targets"),
                line);
        assertEquals(after, TestFiles.snapshot(data));
        assertEquals(1, Sqlite.scalar(data.resolve("state.db"), "SELECT count(*) FROM audit WHERE actor = '_import'"));
    }

    @Test
    void intoTheStoreAFirstServeLeftTheImportDropsTheStaleSetupToken() {
        Path data = copyOfTemplate(root.resolve("data"));
        Path db = data.resolve("state.db");
        assertEquals(1, Sqlite.scalar(db, "SELECT count(*) FROM onboarding_setup"), "a first serve minted a setup token");
        CliRun.Result r = importLegacy(data, "--from", copyOf(SMALL, root.resolve("old")).toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(4, Sqlite.scalar(db, "SELECT count(*) FROM users"));
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM onboarding_setup"), "onboarding is closed (§6.6)");
    }

    // ---- the old tokens against a real serve ---------------------------------------------------

    @Test
    void oldOperatorAndClientTokensWorkAgainstARealServeThatReportsTheFilesAsImported() {
        Path data = copyOf(SMALL, root.resolve("data")); // the legacy files stay in the data-dir
        CliRun.Result r = importLegacy(data);
        assertEquals(0, r.exitCode(), r.toString());
        Map<String, String> clients = mappings(r, "client");
        int clientPort = ClientProcessSupport.freePort();
        try (ClientProcessSupport.Server s = ClientProcessSupport.serve(data, ClientProcessSupport.freePort(), clientPort)) {
            assertMe(s, "cred-0", "legacy", "superadmin");
            assertMe(s, "cred-1", "superadmin", "superadmin");
            assertMe(s, "cred-2", "alice", "user");
            assertEquals(401, me(s, "cred-3").get("status").asInt(), "a revoked credential stays revoked");
            assertEquals(401, me(s, "cred-4").get("status").asInt(), "a disabled user's credential does not work");
            assertEquals(401, me(s, "not-a-legacy-token").get("status").asInt());

            RawHttp.Reply edge1 = whoami(clientPort, "edge-1");
            assertEquals(200, edge1.status(), edge1.toString());
            assertEquals(clients.get("edge-1"), edge1.json().get("client_id").asText());
            assertEquals("edge-1", edge1.json().get("client_name").asText());
            assertEquals(200, whoami(clientPort, "home").status());
            assertEquals(401, whoami(clientPort, "edge-2").status(), "a revoked client stays revoked");

            String log = s.log();
            for (String name : List.of("tokens.json", "identity.json", "rules.json")) {
                String line = log.lines().filter(l -> l.contains("event=startup.legacy_file_already_imported path="
                        + data.resolve(name) + " ")).findFirst().orElse(null);
                assertNotNull(line, name + " in\n" + log);
                assertTrue(line.contains(" INFO ") && line.contains("imported_at="), line);
            }
            assertFalse(log.contains("event=startup.legacy_file_found"), log);
            assertFalse(log.contains("event=onboarding.setup_token"), "an enabled superadmin was imported:\n" + log);
        }
    }

    private static JsonNode me(ClientProcessSupport.Server s, String credential) {
        String token = credential.startsWith("cred-") ? Fixtures.token(SMALL, credential) : credential;
        return s.call("GET", "/v1/users/me", null, token);
    }

    private static void assertMe(ClientProcessSupport.Server s, String credential, String userId, String role) {
        JsonNode r = me(s, credential);
        assertEquals(200, r.get("status").asInt(), credential + ": " + r);
        assertEquals(userId, r.get("body").get("user_id").asText(), r.toString());
        assertEquals(role, r.get("body").get("role").asText(), r.toString());
    }

    private static RawHttp.Reply whoami(int clientPort, String client) {
        return RawHttp.tls(clientPort).send("GET /v1/client/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + Fixtures.token(SMALL, client) + "\r\nConnection: close\r\n\r\n");
    }

    // ---- a large generated set -----------------------------------------------------------------

    @Test
    void aLargeGeneratedSetGoesThroughTheRealCommand() throws IOException {
        Path from = Files.createDirectories(root.resolve("large"));
        LargeSetImportTest.write(from);
        long jsonBytes = 0;
        for (String name : List.of("tokens.json", "identity.json", "rules.json")) {
            jsonBytes += Files.size(from.resolve(name));
        }
        Path data = root.resolve("data");
        Path rss = root.resolve("peak-rss-kib.txt");
        long start = System.nanoTime();
        CliRun.Result r = CliRun.create().wrappedIn("/usr/bin/time", "-o", rss.toString(), "-f", "%M")
                .run("import-legacy", "--data-dir", data.toString(), "--from", from.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, r.exitCode(), () -> "exit " + r.exitCode() + ", stderr ends:\n" + tail(r.stderr()));

        Path db = data.resolve("state.db");
        int users = LargeSetImportTest.USERS;
        int credentials = LargeSetImportTest.CREDENTIALS;
        int grants = users * LargeSetImportTest.GRANTS_PER_USER;
        int clients = LargeSetImportTest.CLIENTS;
        int rules = LargeSetImportTest.RULES;
        int targets = rules / 5 * 3;
        assertEquals(users, Sqlite.scalar(db, "SELECT count(*) FROM users"));
        assertEquals(credentials, Sqlite.scalar(db, "SELECT count(*) FROM credentials"));
        assertEquals(grants, Sqlite.scalar(db, "SELECT count(*) FROM grants"));
        assertEquals(clients, Sqlite.scalar(db, "SELECT count(*) FROM client_tokens"));
        assertEquals(rules, Sqlite.scalar(db, "SELECT count(*) FROM rules"));
        assertEquals(targets, Sqlite.scalar(db, "SELECT count(*) FROM rule_targets"));
        assertEquals(credentials / 4, Sqlite.scalar(db, "SELECT count(*) FROM credentials WHERE status = 'revoked'"));
        assertEquals(0, Sqlite.scalar(db, "SELECT count(*) FROM credentials WHERE token_hash <> lower(token_hash)"));
        assertTrue(r.eventLine("cli.import_complete").contains("users=" + users + " credentials=" + credentials), r.eventLine(
                "cli.import_complete"));
        assertEquals(r.eventLine("cli.import_complete").replaceAll(".*event=cli.import_complete ", ""),
                Sqlite.text(db, "SELECT reason FROM audit WHERE actor = '_import'"));
        long reportLines = r.stderr().lines().filter(l -> l.contains(" event=")).count();
        String peak = Files.readString(rss).strip();
        System.out.printf("import-legacy large set: %d users, %d credentials, %d grants, %d clients, %d rules, %d rule "
                + "targets (%.1f MiB of JSON) imported by the real command in %d ms (process wall time, JVM start "
                + "included); peak RSS %.0f MiB; store %.1f MiB; %d report lines%n", users, credentials, grants, clients,
                rules, targets, jsonBytes / 1048576.0, millis, Long.parseLong(peak.lines().reduce((a, b) -> b).orElse("0"))
                        / 1024.0, Files.size(db) / 1048576.0, reportLines);
        assertTrue(millis < 50_000, "took " + millis + " ms");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static CliRun.Result importLegacy(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of("import-legacy", "--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        return CliRun.create().run(all.toArray(String[]::new));
    }

    private static String h(String name) {
        return Fixtures.tokenHash(SMALL, name);
    }

    /** {@code from → to} of the report's {@code import.mapping kind=<kind>} lines, in report order. */
    private static Map<String, String> mappings(CliRun.Result r, String kind) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.stderr().lines().toList()) {
            int at = line.indexOf("event=import.mapping kind=" + kind + " from=");
            if (at >= 0) {
                String[] parts = line.substring(at).split(" ");
                out.put(parts[2].substring("from=".length()), parts[3].substring("to=".length()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The regular files of a fixture set copied into {@code dir} (created). */
    private static Path copyOf(String fixture, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        copyInto(fixture, dir);
        return dir;
    }

    private static void copyInto(String fixture, Path dir) {
        try (Stream<Path> files = Files.list(Fixtures.resource(fixture))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the store a first serve left behind (state.db, its lock, the TLS files). */
    private static Path copyOfTemplate(Path dir) {
        try (Stream<Path> files = Files.list(firstServeTemplate)) {
            Files.createDirectories(dir);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
