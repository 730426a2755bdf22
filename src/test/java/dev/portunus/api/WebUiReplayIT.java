package dev.portunus.api;

import static dev.portunus.testing.ClientProcessSupport.cleanEnv;
import static dev.portunus.testing.ClientProcessSupport.enrollUri;
import static dev.portunus.testing.ClientProcessSupport.freePort;
import static dev.portunus.testing.ClientProcessSupport.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.testing.CliRun.Result;
import dev.portunus.testing.ClientProcessSupport;
import dev.portunus.testing.ClientProcessSupport.Server;
import dev.portunus.testing.TestFiles;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's replay: against a real {@code serve}, every request the upstream web UI makes on each of
 * its pages (06-traffic.md §1.5 and §5, 02-api.md for the pages that already worked), sent the way a
 * browser sends them (session cookie from login; {@code X-Portunus-CSRF} and {@code Origin} on writes),
 * each asserted 2xx with the fields the page reads. The one allowed non-2xx: an owner's rate-limit GET
 * may answer 404, which the UI reads as "unlimited". Every failing call is collected, so one run names
 * every broken page.
 */
class WebUiReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SETUP_TOKEN = Pattern.compile("event=onboarding\\.setup_token token=(\\S+)");

    private static final String[] TRAFFIC = {"bucket", "samples", "total_bytes_in", "total_bytes_out"};
    private static final String[] SAMPLE = {"ts", "bytes_in", "bytes_out"};
    private static final String[] USER = {"user_id", "display_name", "role", "disabled", "created_at", "grant_count"};
    private static final String[] CLIENT = {"client_id", "client_name", "address", "connected", "issued_at", "revoked_at",
        "last_seen_at", "provisioned_at", "client_address", "remote_addr", "connected_at"};
    private static final String[] QUOTA = {"user_id", "client_id", "monthly_bytes", "reset_day", "action", "client_name",
        "current_period_bytes_used", "current_period_started_at", "current_period_ends_at", "budget_remaining_bytes",
        "exhausted", "exhausted_at", "billing_anchor"};
    private static final String[] RULE = {"rule_id", "client", "client_name", "owner", "owner_user_id", "listen_port", "state"};
    private static final String[] STATS = {"rule_id", "client_name", "bytes_in", "bytes_out", "active_connections",
        "dns_failures", "datagrams_in", "datagrams_out", "active_flows", "flows_dropped_overflow", "updated_at"};
    private static final String[] ENROLLMENT = {"client_name", "expires_at", "command", "uri"};
    private static final String[] SETTINGS = {"override", "effective", "source", "diagnostic", "san_covered", "warning"};

    Path root;
    final List<String> failures = new ArrayList<>();

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    @Test
    void everyPageOfTheWebUiAnswers2xxWithTheFieldsItReads() throws Exception {
        root = TestFiles.tempDir("webui-it-");
        try (Server s = serve(root.resolve("data"), freePort(), freePort())) {
            Browser admin = new Browser(s.operatorPort);
            Browser tenant = new Browser(s.operatorPort);

            // Login page and first-run onboarding.
            JsonNode status = admin.call("login", "GET", "/v1/auth/status", null, 200);
            assertTrue(status.get("onboarding_required").asBoolean(), status.toString());
            Matcher m = SETUP_TOKEN.matcher(s.log());
            assertTrue(m.find(), s.log());
            admin.call("onboarding", "POST", "/v1/auth/onboarding", Map.of("user_id", "root", "display_name", "Root",
                    "password", "root-password-123", "password_confirm", "root-password-123", "setup_token", m.group(1)), 201);
            login(admin, "root", "root-password-123");

            // What the other pages show: a tenant with a grant, an enrolled client that reported traffic, a rule, a quota.
            admin.call("users: create", "POST", "/v1/users", Map.of("user_id", "alice", "display_name", "Alice", "role", "user",
                    "initial_password", "alice-password-123", "password_change_required", false), 201);
            JsonNode enrollment = setUp(admin.call("clients: enroll", "POST", "/v1/client-enrollments", Map.of("name", "edge"), 201));
            shape("clients: enroll", enrollment, ENROLLMENT);
            String clientId = enrollment.get("client_id").asText();
            Path bundle = root.resolve("edge.bundle.json");
            Result enrolled = client("enroll", enrollUri(enrollment), "--bundle", bundle.toString());
            assertEquals(0, enrolled.exitCode(), enrolled.stderr());
            admin.call("grants: create", "POST", "/v1/grants", Map.of("user_id", "alice", "client", clientId,
                    "listen_port_start", 4000, "listen_port_end", 4010, "protocols", List.of("tcp")), 201);
            String ruleId = setUp(admin.call("rules: create", "POST", "/v1/rules", Map.of("client", clientId, "owner", "alice",
                    "listen_port", 4000, "target_host", "backend.example", "target_port", 80), 201)).get("rule_id").asText();
            admin.call("user detail: set quota", "PUT", "/v1/users/alice/quotas/" + clientId, Map.of("monthly_bytes", 1_000_000_000), 200);
            Path rules = root.resolve("counters.json");
            Files.writeString(rules, "[{\"rule_id\":\"" + ruleId + "\",\"bytes_in\":4096,\"bytes_out\":8192,\"active_connections\":1}]");
            Result reported = client("report", "--bundle", bundle.toString(), "--rules-file", rules.toString());
            assertEquals(0, reported.exitCode(), reported.stderr());
            login(tenant, "alice", "alice-password-123");

            // One second ahead: the report's minute must lie before `to` (exclusive) even within its first second.
            long now = Instant.now().getEpochSecond() + 1;
            // The Dashboard's three ranges (06-traffic.md §1.5): 1h and 24h in minutes, 7d in hours.
            long[][] ranges = {{3600, 60}, {86_400, 60}, {7 * 86_400, 3600}};

            // Superadmin Dashboard.
            admin.call("dashboard", "GET", "/v1/users/me", null, 200);
            JsonNode clients = admin.call("dashboard", "GET", "/v1/clients", null, 200);
            array("dashboard: clients", clients, CLIENT);
            JsonNode users = admin.call("dashboard", "GET", "/v1/users", null, 200);
            array("dashboard: users", users, USER);
            for (long[] r : ranges) {
                String window = window(now, r[0], r[1]);
                traffic("dashboard: chart", admin.call("dashboard", "GET", "/v1/traffic/global" + window, null, 200), true);
                for (JsonNode c : clients) {
                    if (c.get("revoked_at").isNull()) {
                        traffic("dashboard: by client", admin.call("dashboard", "GET",
                                "/v1/clients/" + c.get("client_id").asText() + "/traffic" + window, null, 200), false);
                    }
                }
                for (JsonNode u : users) {
                    if (!u.get("disabled").asBoolean()) {
                        traffic("dashboard: by user", admin.call("dashboard", "GET",
                                "/v1/users/" + u.get("user_id").asText() + "/traffic" + window, null, 200), false);
                    }
                }
            }

            // Tenant Dashboard: its own traffic (the range and the fixed 24h KPI), the clients it holds grants for, its quotas.
            tenant.call("tenant dashboard", "GET", "/v1/users/me", null, 200);
            for (long[] r : ranges) {
                traffic("tenant dashboard: range", tenant.call("tenant dashboard", "GET", "/v1/users/alice/traffic" + window(now, r[0], r[1]),
                        null, 200), true);
            }
            traffic("tenant dashboard: 24h KPI", tenant.call("tenant dashboard", "GET",
                    "/v1/users/alice/traffic?from=" + (now - 86_400) + "&to=" + now + "&bucket=1m", null, 200), true);
            JsonNode tenantClients = tenant.call("tenant dashboard", "GET", "/v1/clients", null, 200);
            array("tenant dashboard: clients", tenantClients, CLIENT);
            JsonNode quotas = tenant.call("tenant dashboard", "GET", "/v1/users/alice/quotas", null, 200);
            array("tenant dashboard: quotas", quotas, QUOTA);
            tenant.call("tenant dashboard", "GET", "/v1/users/alice/quotas/" + clientId + "/status", null, 200);
            array("tenant dashboard: rules", tenant.call("tenant dashboard", "GET", "/v1/rules", null, 200), RULE);

            // Users page and user detail (traffic panel with each range, 7d in minutes too; clear usage).
            array("users", admin.call("users", "GET", "/v1/users", null, 200), USER);
            shape("user detail", admin.call("user detail", "GET", "/v1/users/alice", null, 200), USER);
            admin.call("user detail", "GET", "/v1/users/alice/credentials", null, 200);
            admin.call("user detail", "GET", "/v1/grants?user_id=alice", null, 200);
            array("user detail: quotas", admin.call("user detail", "GET", "/v1/users/alice/quotas", null, 200), QUOTA);
            for (String window : detailWindows(now)) {
                traffic("user detail: traffic", admin.call("user detail", "GET", "/v1/users/alice/traffic" + window, null, 200), false);
            }
            admin.call("user detail: clear usage", "PATCH", "/v1/users/alice/quotas/" + clientId, Map.of("clear_period_usage", true), 200);

            // Clients page and client detail (traffic panel, quotas, owners and their envelopes, rename, re-enrollment).
            array("clients", admin.call("clients", "GET", "/v1/clients", null, 200), CLIENT);
            for (String window : detailWindows(now)) {
                traffic("client detail: traffic", admin.call("client detail", "GET", "/v1/clients/" + clientId + "/traffic" + window,
                        null, 200), false);
            }
            admin.call("client detail", "GET", "/v1/clients/" + clientId + "/quotas", null, 200);
            JsonNode owners = admin.call("client detail", "GET", "/v1/clients/" + clientId + "/owners", null, 200);
            assertTrue(owners.isArray(), owners.toString());
            admin.call("client detail: owner rate limit", "GET", "/v1/clients/" + clientId + "/owners/alice/rate-limit", null, 200, 404);
            admin.call("client detail: rename", "PATCH", "/v1/clients/" + clientId + "/name", Map.of("client_name", "edge-1"), 200);
            shape("client detail: re-enroll", admin.call("client detail: re-enroll", "POST", "/v1/clients/" + clientId + "/enrollment",
                    Map.of(), 201), ENROLLMENT);

            // Rules page and rule detail (stats polled, with and without per-target, and the stream).
            array("rules", admin.call("rules", "GET", "/v1/rules", null, 200), RULE);
            shape("rule detail", admin.call("rule detail", "GET", "/v1/rules/" + ruleId, null, 200), RULE);
            shape("rule detail: stats", admin.call("rule detail", "GET", "/v1/rules/" + ruleId + "/stats", null, 200), STATS);
            shape("rule detail: stats per target", admin.call("rule detail", "GET", "/v1/rules/" + ruleId + "/stats?per_target=true",
                    null, 200), STATS);
            shape("tenant rule detail: stats", tenant.call("tenant rule detail", "GET", "/v1/rules/" + ruleId + "/stats", null, 200),
                    STATS);
            shape("rule detail: stream", admin.firstEvent("/v1/rules/" + ruleId + "/stats/stream"), STATS);

            // Audit, Metrics, Settings.
            JsonNode audit = admin.call("audit", "GET", "/v1/audit?limit=100", null, 200);
            array("audit", audit, "timestamp", "actor", "method", "path", "outcome");
            JsonNode page = admin.call("audit", "GET", "/v1/audit?since=2026-01-01T00:00:00Z&limit=100", null, 200);
            shape("audit: window", page, "entries", "count"); // next_cursor is absent on the last page (02-api.md)
            String metrics = admin.text("metrics", "/v1/metrics");
            for (String family : List.of("portunus_clients_connected ", "portunus_traffic_reports_total", "portunus_rule_bytes_in_total")) {
                check(metrics.contains(family), "metrics: no " + family.strip());
            }
            shape("settings", admin.call("settings", "GET", "/v1/settings/advertised-endpoint", null, 200), SETTINGS);
            shape("settings: save", admin.call("settings: save", "PUT", "/v1/settings/advertised-endpoint",
                    Map.of("advertised_endpoint", "portunus.example:7443"), 200), SETTINGS);

            assertEquals(List.of(), failures, "pages that would raise the UI's banner");
        }
    }

    /** What the pages need was created: a setup call that failed stops the test here, naming every failure so far. */
    private JsonNode setUp(JsonNode answer) {
        assertEquals(List.of(), failures, "setting up the pages' data");
        return answer;
    }

    /** {@code ?from=now−range&to=now&bucket=…}, as the Dashboard sends it. */
    private static String window(long now, long range, long bucket) {
        return "?from=" + (now - range) + "&to=" + now + "&bucket=" + (bucket == 60 ? "1m" : "1h");
    }

    /** The detail panels: 1h, 24h, 7d with the browser-resolved bucket, and 7d in minutes picked by hand. */
    private static List<String> detailWindows(long now) {
        return List.of(window(now, 3600, 60), window(now, 86_400, 60), window(now, 7 * 86_400, 3600),
                "?from=" + (now - 7 * 86_400 - 5) + "&to=" + now + "&bucket=1m");
    }

    private void login(Browser b, String user, String password) {
        JsonNode r = b.call("login", "POST", "/v1/auth/login", Map.of("user_id", user, "password", password), 200);
        check(r != null && r.has("password_change_required") && !r.get("password_change_required").asBoolean(),
                "login " + user + ": " + r);
    }

    private Result client(String... args) throws Exception {
        Map<String, String> env = cleanEnv();
        env.put("HOME", root.resolve("home").toString());
        return ClientProcessSupport.client(env, Files.createDirectories(root.resolve("cwd")), args);
    }

    private void traffic(String where, JsonNode body, boolean expectData) {
        if (shape(where, body, TRAFFIC) && body.get("samples").isArray()) {
            for (JsonNode sample : body.get("samples")) {
                shape(where + " sample", sample, SAMPLE);
            }
            if (expectData) {
                check(body.get("total_bytes_in").asLong() == 4096 && body.get("total_bytes_out").asLong() == 8192,
                        where + ": totals " + body);
            }
        }
    }

    private void array(String where, JsonNode body, String... fields) {
        if (body == null || !body.isArray() || body.isEmpty()) {
            failures.add(where + ": expected a non-empty array, got " + body);
            return;
        }
        for (JsonNode element : body) {
            shape(where, element, fields);
        }
    }

    private boolean shape(String where, JsonNode body, String... fields) {
        if (body == null || !body.isObject()) {
            failures.add(where + ": expected an object, got " + body);
            return false;
        }
        boolean ok = true;
        for (String f : fields) {
            if (!body.has(f)) {
                failures.add(where + ": no field " + f + " in " + body);
                ok = false;
            }
        }
        return ok;
    }

    private void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
    }

    /** A browser tab: its own cookie jar, and the CSRF header plus a same-origin {@code Origin} on writes. */
    private final class Browser {

        private final String origin;
        private final HttpClient http;

        Browser(int port) {
            this.origin = "http://127.0.0.1:" + port;
            // A browser speaks HTTP/1.1 to a plain-http origin (h2 only over TLS).
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }

        /** Sends one request; a status outside {@code ok} is recorded as a failure of {@code page}. Null when no JSON came back. */
        JsonNode call(String page, String method, String path, Object body, int... ok) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(15))
                        .header("Accept", "application/json");
                if (body != null) {
                    b.header("Content-Type", "application/json");
                }
                if (!method.equals("GET")) {
                    b.header("X-Portunus-CSRF", "1").header("Origin", origin);
                }
                b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Set<Integer> allowed = new java.util.HashSet<>();
                for (int s : ok) {
                    allowed.add(s);
                }
                if (!allowed.contains(r.statusCode())) {
                    failures.add(page + ": " + method + " " + path + " answered " + r.statusCode() + " " + r.body());
                }
                return r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (Exception e) {
                failures.add(page + ": " + method + " " + path + " failed: " + e);
                return null;
            }
        }

        /** A text route (the Metrics page): 200 {@code text/plain}. */
        String text(String page, String path) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(15))
                        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                check(r.statusCode() == 200, page + ": GET " + path + " answered " + r.statusCode());
                check(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), page + ": not text/plain");
                return r.body();
            } catch (Exception e) {
                failures.add(page + ": GET " + path + " failed: " + e);
                return "";
            }
        }

        /** The first {@code event: stats} frame of a Server-Sent Events stream, as the page's EventSource reads it. */
        JsonNode firstEvent(String path) {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(15))
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    check(r.statusCode() == 200, "rule detail: stream answered " + r.statusCode());
                    check(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                            "rule detail: stream is not text/event-stream");
                    String event = null;
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring(6).strip();
                        } else if (line.startsWith("data:") && "stats".equals(event)) {
                            return JSON.readTree(line.substring(5).strip());
                        }
                    }
                }
                failures.add("rule detail: the stream ended without an event: stats frame");
            } catch (Exception e) {
                failures.add("rule detail: stream failed: " + e);
            }
            return null;
        }
    }
}
