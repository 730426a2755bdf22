package dev.portunus.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The migrated schema (01-store.md §3), checked on a real store. */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class SchemaTest {

    static final List<String> TABLES = List.of("users", "credentials", "grants", "rules", "rule_targets",
            "client_tokens", "client_enrollments", "rate_limit_owner", "traffic_quotas", "traffic_samples_1m",
            "traffic_samples_1h", "web_sessions", "login_attempts", "onboarding_setup", "audit", "server_settings",
            "traffic_report_state", "traffic_counters", "traffic_rollup_state");

    @Inject
    Store store;

    @Test
    void latestVersionConstantIsTheNewestShippedMigration() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getClassLoader().getResource("db/migration").toURI());
        Pattern v = Pattern.compile("V(\\d+)__.+\\.sql");
        int newest = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher m = v.matcher(f.getFileName().toString());
                assertTrue(m.matches(), "migration file names follow V<n>__<why>.sql: " + f.getFileName());
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        assertEquals(newest, Schema.LATEST_VERSION);
        assertEquals(Schema.LATEST_VERSION, (int) store.read(h -> SqliteFile.schemaVersion(h.connection())));
    }

    @Test
    void everyTableOfTheContractExistsAndIsStrict() {
        for (String table : TABLES) {
            // SQLite's own word on it (the "strict" column), whatever other table options follow STRICT.
            int strict = store.read(h -> h.one("SELECT strict FROM pragma_table_list WHERE type = 'table' AND name = ?",
                    rs -> rs.getInt(1), table)).orElseThrow(() -> new AssertionError("missing table " + table));
            assertTrue(strict == 1, table + " is STRICT");
        }
    }

    @Test
    void auditHasExactlyTheContractColumnsAndIndexesForItsQueries() {
        List<String> columns = store.read(h -> h.query("SELECT name FROM pragma_table_info('audit') ORDER BY cid",
                rs -> rs.getString(1)));
        assertEquals(List.of("seq", "ts", "actor", "role", "method", "path", "outcome", "reason", "correlation_id",
                "details_json"), columns);
        String plan = store.read(h -> String.join(" | ", h.query(
                "EXPLAIN QUERY PLAN SELECT seq FROM audit WHERE outcome = 'deny' AND seq < 100 ORDER BY seq DESC LIMIT 7",
                rs -> rs.getString(4))));
        assertTrue(plan.contains("audit_by_outcome_seq"), plan);
        String prunePlan = store.read(h -> String.join(" | ", h.query(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM audit WHERE ts < '2026'", rs -> rs.getString(4))));
        assertTrue(prunePlan.contains("audit_by_ts"), prunePlan);
    }

    @Test
    void deletingAUserCascadesToEverythingItOwnsInOneStatement() {
        String now = Timestamps.now();
        store.write(h -> {
            h.update("INSERT INTO users (id, role, display_name, created_at) VALUES ('alice', 'user', 'Alice', ?)", now);
            h.update("INSERT INTO client_tokens (id, display_name, issued_at) VALUES ('01HCLIENT', 'edge', ?)", now);
            h.update("INSERT INTO credentials (id, user_id, token_hash, issued_at) VALUES ('c1', 'alice', 'h1', ?)", now);
            h.update("INSERT INTO grants (id, user_id, client, listen_port_start, listen_port_end, protocols, created_at) "
                    + "VALUES ('g1', 'alice', '*', 1000, 2000, 'tcp', ?)", now);
            h.update("INSERT INTO rules (id, client_id, owner_id, listen_port, listen_port_end, target_host, target_port, "
                    + "protocol, created_at, updated_at) VALUES ('r1', '01HCLIENT', 'alice', 1000, 1000, 'h', 80, 'tcp', ?, ?)", now, now);
            h.update("INSERT INTO rule_targets (rule_id, idx, host, port) VALUES ('r1', 0, 'h', 80)");
            h.update("INSERT INTO web_sessions (id_hash, user_id, created_at, last_seen_at, absolute_expires_at) "
                    + "VALUES ('s1', 'alice', ?, ?, ?)", now, now, now);
            h.update("INSERT INTO traffic_quotas (user_id, client_id, monthly_bytes, created_at, updated_at) "
                    + "VALUES ('alice', '01HCLIENT', 1000, ?, ?)", now, now);
            h.update("INSERT INTO rate_limit_owner (client_id, owner_id, bandwidth_in_bps, updated_at) VALUES ('01HCLIENT', 'alice', 5, ?)", now);
            return null;
        });
        store.write(h -> h.update("DELETE FROM users WHERE id = 'alice'"));
        for (String table : List.of("credentials", "grants", "rules", "rule_targets", "web_sessions", "traffic_quotas",
                "rate_limit_owner")) {
            assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM " + table)), table + " emptied by the cascade");
        }
        assertEquals(1L, (long) store.read(h -> h.count("SELECT count(*) FROM client_tokens")), "clients are not the user's");
        store.write(h -> h.update("DELETE FROM client_tokens"));
    }

    @Test
    void strictTablesRefuseWrongTypesAndChecksRefuseOutOfRangeValues() {
        assertThrows(StoreUnavailableException.class, () -> store.write(h -> h.update(
                "INSERT INTO audit (ts, actor, method, path, outcome) VALUES (?, 'a', 'GET', '/', 'maybe')", Timestamps.now())));
        assertThrows(StoreUnavailableException.class, () -> store.write(h -> h.update(
                "INSERT INTO users (id, role, display_name, disabled, created_at) VALUES ('x', 'superadmin', 'X', 'yes', ?)",
                Timestamps.now())));
        assertFalse(store.read(h -> h.count("SELECT count(*) FROM users WHERE id = 'x'")) > 0);
    }
}
