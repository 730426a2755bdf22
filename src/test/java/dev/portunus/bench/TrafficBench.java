package dev.portunus.bench;

import dev.portunus.clienttool.PinnedHttps;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Timestamps;
import dev.portunus.testing.ServerProcess;
import dev.portunus.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Traffic accounting benchmark (issue 12), run by {@code bench/traffic-bench.sh}, never by
 * {@code mvn verify}:
 * (a) one report of 10 000 rules through the client listener of a real {@code serve}, against the
 *     same transaction as SQL text in the sqlite3 CLI;
 * (b) the catch-up rollup of a month of minute samples for 100 rules (100 user/client pairs,
 *     fabricated with SQL), then the web UI's windows on the three read routes, server-side time from
 *     the server's own histogram, against the same SQL in the sqlite3 CLI and against summing the
 *     minute samples on each read (the read before V3's per-minute totals).
 */
public final class TrafficBench {

    static final String CLIENT_TOKEN = "bench-client-token-0123456789abcdef";
    static final String CLIENT = "01BENCHC1ENT0000000000000A";
    static final int RULES = 10_000;

    public static void main(String[] args) throws Exception {
        Path root = TestFiles.tempDir("traffic-bench-");
        Path template = ApiBench.migratedStore(root.resolve("template"));
        System.out.println("# Portunus traffic benchmark — " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, sqlite3 " + ApiBench.sh("sqlite3", "--version").split(" ")[0]);
        boolean all = args.length == 0;
        if (all || List.of(args).contains("a")) {
            ingest(root.resolve("a"), template);
        }
        if (all || List.of(args).contains("b")) {
            rollupAndReads(root.resolve("b"), template);
        }
        TestFiles.deleteTree(root);
    }

    // ---------------------------------------------------------------- (a)

    static void ingest(Path dir, Path template) throws Exception {
        Path data = ApiBench.copyStore(template, dir.resolve("data"));
        Path db = data.resolve("state.db");
        String now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
        ApiBench.sh("sqlite3", db.toString(), "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9) "
                + "INSERT INTO users (id, role, display_name, created_at) SELECT 'bench' || i, 'user', 'Bench', " + now + " FROM k;"
                + "INSERT INTO client_tokens (id, display_name, token_hash, issued_at) VALUES ('" + CLIENT + "', 'bench', '"
                + Secrets.blake3Hex(CLIENT_TOKEN) + "', " + now + ");"
                + "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < " + RULES + ") "
                + "INSERT INTO rules (id, client_id, owner_id, listen_port, listen_port_end, target_host, target_port, protocol, "
                + "created_at, updated_at) SELECT printf('01BENCHRULE%015d', i), '" + CLIENT + "', 'bench' || (i % 10), i, i, "
                + "'backend', 80, 'tcp', " + now + ", " + now + " FROM k;"
                + "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9) "
                + "INSERT INTO traffic_quotas (user_id, client_id, monthly_bytes, created_at, updated_at) "
                + "SELECT 'bench' || i, '" + CLIENT + "', 1099511627776, " + now + ", " + now + " FROM k;");
        int reports = 12;
        double firstContactMs;
        List<Double> ms = new ArrayList<>();
        List<Double> serverMs = new ArrayList<>();
        int bodyBytes = 0;
        HttpClient http = HttpClient.newHttpClient();
        try (ServerProcess serve = ServerProcess.start(data, ApiBench.JVM)) {
            Matcher listener = Pattern.compile("event=serve\\.client_listener listen=127\\.0\\.0\\.1:(\\d+) .*server_cert_sha256=([0-9a-f]{64})")
                    .matcher(serve.stderr());
            if (!listener.find()) {
                throw new IllegalStateException("no client listener event:\n" + serve.stderr());
            }
            PinnedHttps https = new PinnedHttps("127.0.0.1:" + listener.group(1), listener.group(2));
            // The first TLS exchange of both JVMs, on a route that is not the report's: what a client's
            // first contact costs, kept apart from the first report's own cold path.
            long w0 = System.nanoTime();
            PinnedHttps.Reply hello = https.get("/v1/client/whoami", CLIENT_TOKEN);
            firstContactMs = (System.nanoTime() - w0) / 1e6;
            if (hello.status() != 200) {
                throw new IllegalStateException("whoami: " + hello.status() + " " + hello.body());
            }
            for (int seq = 1; seq <= reports; seq++) {
                byte[] body = report(seq).getBytes(StandardCharsets.UTF_8);
                bodyBytes = body.length;
                Thread.sleep(250); // under the 5-per-second limit
                double before = reportSecondsSum(http, serve.port(), seq - 1);
                long t0 = System.nanoTime();
                PinnedHttps.Reply r = https.postJson("/v1/client/traffic", CLIENT_TOKEN, body);
                ms.add((System.nanoTime() - t0) / 1e6);
                serverMs.add((reportSecondsSum(http, serve.port(), seq) - before) * 1000);
                if (r.status() != 200 || !r.body().startsWith("{\"result\":\"accepted\"") || !r.body().contains("\"ignored_rule_ids\":[]")) {
                    throw new IllegalStateException(r.status() + " " + r.body().substring(0, Math.min(300, r.body().length())));
                }
            }
            serve.stop();
        }
        long stored = Long.parseLong(ApiBench.sh("sqlite3", db.toString(), "SELECT sum(bytes_in) FROM traffic_samples_1m").trim());
        long expected = (long) RULES * (1_000_000L + reports * 1000L) + (long) RULES * (RULES + 1) / 2;
        if (stored != expected) {
            throw new IllegalStateException("stored " + stored + " bytes_in, expected " + expected);
        }
        double cli = cliTransactionMs(db, dir, reports + 1);
        List<Double> warm = ms.subList(1, ms.size());
        System.out.printf(Locale.ROOT, "(a) POST /v1/client/traffic with %,d rules (%,d bytes, 10 owners, 10 quotas in the answer), "
                + "%d reports, each changing every counter:%n", RULES, bodyBytes, reports);
        List<Double> warmServer = serverMs.subList(1, serverMs.size());
        System.out.printf(Locale.ROOT, "    first contact before it (GET /v1/client/whoami, first TLS use of both JVMs): %.1f ms round trip%n",
                firstContactMs);
        System.out.println("    round trip = the bench's own client included (a new TLS connection per request);");
        System.out.println("    server = portunus_traffic_report_duration_seconds: request to answer inside serve (body, JSON, "
                + "transaction, quotas)");
        System.out.printf(Locale.ROOT, "    first report (cold JIT, new boot): %8.1f ms round trip, %8.1f ms server%n", ms.get(0),
                serverMs.get(0));
        System.out.printf(Locale.ROOT, "    later reports: p50 %8.1f ms, max %8.1f ms round trip; server p50 %8.1f ms, max %8.1f ms%n",
                ApiBench.pct(warm, 50), ApiBench.pct(warm, 100), ApiBench.pct(warmServer, 50), ApiBench.pct(warmServer, 100));
        System.out.printf(Locale.ROOT, "    sqlite3 CLI : %8.1f ms   (baseline: the same transaction as SQL text: state, rules, "
                + "baselines, %,d baseline upserts, 10 sample upserts, last_seen)%n", cli, RULES);
        System.out.printf(Locale.ROOT, "    ratio server p50/CLI: %.2f, first server/CLI: %.2f   (goal: a report of 10 000 rules "
                + "ingested within 1 000 ms: %s)%n", ApiBench.pct(warmServer, 50) / cli, serverMs.get(0) / cli,
                serverMs.get(0) < 1000 && ApiBench.pct(warmServer, 100) < 1000 ? "met, every report" : "MISSED");
        System.out.printf(Locale.ROOT, "    stored bytes_in %,d = sum of the last counters (exactly once)%n", stored);
    }

    /**
     * The server's {@code portunus_traffic_report_duration_seconds_sum} once its count reaches
     * {@code count} (the answer's end is recorded just after the client has it).
     */
    static double reportSecondsSum(HttpClient http, int port, int count) throws Exception {
        Pattern sum = Pattern.compile("(?m)^portunus_traffic_report_duration_seconds_sum(?:\\{[^}]*\\})? (\\S+)$");
        Pattern n = Pattern.compile("(?m)^portunus_traffic_report_duration_seconds_count(?:\\{[^}]*\\})? (\\S+)$");
        for (int i = 0; i < 100; i++) {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher c = n.matcher(text);
            Matcher s = sum.matcher(text);
            if (c.find() && s.find() && Double.parseDouble(c.group(1)) >= count) {
                return Double.parseDouble(s.group(1));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("portunus_traffic_report_duration_seconds_count never reached " + count);
    }

    /** Report {@code seq}: rule i has counters 1 000 000 + i + 1000 × seq in and twice that out. */
    static String report(int seq) {
        StringBuilder b = new StringBuilder(RULES * 90).append("{\"boot_id\":\"bench-boot-0001\",\"seq\":").append(seq)
                .append(",\"sent_at\":\"").append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\",\"rules\":[");
        for (int i = 1; i <= RULES; i++) {
            long in = 1_000_000L + i + 1000L * seq;
            b.append(i == 1 ? "" : ",").append("{\"rule_id\":\"").append(String.format(Locale.ROOT, "01BENCHRULE%015d", i))
                    .append("\",\"bytes_in\":").append(in).append(",\"bytes_out\":").append(2 * in).append('}');
        }
        return b.append("]}").toString();
    }

    /** The report transaction as SQL text, timed in the sqlite3 CLI (best of 3, net of an empty session). */
    static double cliTransactionMs(Path db, Path dir, int seq) throws Exception {
        String ts = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String minute = fixed(Instant.now().truncatedTo(ChronoUnit.MINUTES));
        StringBuilder sql = new StringBuilder(".output /dev/null\nBEGIN IMMEDIATE;\n");
        sql.append("SELECT boot_id, last_seq, prev_boot_id FROM traffic_report_state WHERE client_id = '").append(CLIENT).append("';\n");
        sql.append("INSERT INTO traffic_report_state (client_id, boot_id, last_seq, prev_boot_id, last_report_at) VALUES ('")
                .append(CLIENT).append("', 'bench-boot-0001', ").append(seq).append(", NULL, '").append(ts)
                .append("') ON CONFLICT (client_id) DO UPDATE SET last_seq = excluded.last_seq, last_report_at = excluded.last_report_at;\n");
        sql.append("SELECT id, owner_id FROM rules WHERE client_id = '").append(CLIENT).append("';\n");
        sql.append("SELECT rule_id, bytes_in, bytes_out FROM traffic_counters WHERE client_id = '").append(CLIENT).append("';\n");
        for (int i = 1; i <= RULES; i++) {
            long in = 1_000_000L + i + 1000L * seq;
            sql.append("INSERT INTO traffic_counters (client_id, rule_id, bytes_in, bytes_out, updated_at) VALUES ('").append(CLIENT)
                    .append("', '").append(String.format(Locale.ROOT, "01BENCHRULE%015d", i)).append("', ").append(in).append(", ")
                    .append(2 * in).append(", '").append(ts).append("') ON CONFLICT (client_id, rule_id) DO UPDATE SET ")
                    .append("bytes_in = excluded.bytes_in, bytes_out = excluded.bytes_out, updated_at = excluded.updated_at;\n");
        }
        for (int o = 0; o < 10; o++) {
            sql.append("INSERT INTO traffic_samples_1m (user_id, client_id, bucket_start, bytes_in, bytes_out) VALUES ('bench").append(o)
                    .append("', '").append(CLIENT).append("', '").append(minute).append("', 1000000, 2000000) ON CONFLICT ")
                    .append("(user_id, client_id, bucket_start) DO UPDATE SET bytes_in = min(bytes_in + excluded.bytes_in, ")
                    .append("9223372036854775807), bytes_out = min(bytes_out + excluded.bytes_out, 9223372036854775807);\n");
        }
        sql.append("UPDATE client_tokens SET last_seen_at = '").append(ts).append("' WHERE id = '").append(CLIENT).append("';\nCOMMIT;\n");
        Path full = dir.resolve("report.sql");
        Files.writeString(full, sql);
        Path empty = dir.resolve("empty.sql");
        Files.writeString(empty, ".output /dev/null\n");
        return bestNetMs(db, empty, full);
    }

    static double bestNetMs(Path db, Path empty, Path full) throws Exception {
        long best0 = Long.MAX_VALUE;
        long best1 = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            ApiBench.shIn(empty, "sqlite3", db.toString());
            long t1 = System.nanoTime();
            ApiBench.shIn(full, "sqlite3", db.toString());
            long t2 = System.nanoTime();
            best0 = Math.min(best0, t1 - t0);
            best1 = Math.min(best1, t2 - t1);
        }
        return Math.max(0, best1 - best0) / 1e6;
    }

    // ---------------------------------------------------------------- (b)

    record Window(String name, long seconds, String bucket) {
    }

    /** A read route; {@code where} picks its samples, {@code totals} its rows of traffic_totals_1m (V3). */
    record Route(String name, String path, String template, String where, String totals) {
    }

    static void rollupAndReads(Path dir, Path template) throws Exception {
        Path data = ApiBench.copyStore(template, dir.resolve("data"));
        Path db = data.resolve("state.db");
        String now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
        long t0 = System.nanoTime();
        ApiBench.sh("sqlite3", db.toString(), "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9) "
                + "INSERT INTO users (id, role, display_name, created_at) SELECT 'u' || i, 'user', 'U', " + now + " FROM k;"
                + "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9) "
                + "INSERT INTO client_tokens (id, display_name, issued_at) SELECT 'c' || i, 'edge', " + now + " FROM k;"
                + "INSERT INTO rules (id, client_id, owner_id, listen_port, listen_port_end, target_host, target_port, protocol, "
                + "created_at, updated_at) SELECT 'r-' || u.id || '-' || c.id, c.id, u.id, 1000 + row_number() OVER (), "
                + "1000 + row_number() OVER (), 'backend', 80, 'tcp', " + now + ", " + now
                + " FROM users u, client_tokens c WHERE u.id LIKE 'u%' AND c.id LIKE 'c%';"
                + "WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < 43200) "
                + "INSERT INTO traffic_samples_1m (user_id, client_id, bucket_start, bytes_in, bytes_out) "
                + "SELECT u.id, c.id, strftime('%Y-%m-%dT%H:%M:00.000Z', 'now', '-' || m.i || ' minutes'), abs(random() % 1000000), "
                + "abs(random() % 1000000) FROM m, users u, client_tokens c WHERE u.id LIKE 'u%' AND c.id LIKE 'c%';");
        long rows = Long.parseLong(ApiBench.sh("sqlite3", db.toString(), "SELECT count(*) FROM traffic_samples_1m").trim());
        System.out.printf(Locale.ROOT, "(b) fabricated %,d minute samples (30 days x 100 user/client pairs, one rule each) with the "
                + "sqlite3 CLI in %.1f s (%d MB)%n", rows, (System.nanoTime() - t0) / 1e9, Files.size(db) >> 20);

        // Baseline: the same rollup and retention SQL in the sqlite3 CLI, on a copy.
        Path copy = dir.resolve("copy.db");
        Files.copy(db, copy, StandardCopyOption.REPLACE_EXISTING);
        Instant lastClosed = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        Instant first = Instant.now().minus(43200, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.HOURS);
        StringBuilder sql = new StringBuilder();
        for (Instant h = first; !h.isAfter(lastClosed); h = h.plus(1, ChronoUnit.HOURS)) {
            String from = fixed(h);
            String to = fixed(h.plus(1, ChronoUnit.HOURS));
            sql.append("BEGIN IMMEDIATE;\nINSERT INTO traffic_samples_1h (user_id, client_id, bucket_start, bytes_in, bytes_out) ")
                    .append("SELECT user_id, client_id, '").append(from).append("', CAST(total(bytes_in) AS INTEGER), ")
                    .append("CAST(total(bytes_out) AS INTEGER) FROM traffic_samples_1m WHERE bucket_start >= '").append(from)
                    .append("' AND bucket_start < '").append(to).append("' GROUP BY user_id, client_id ON CONFLICT ")
                    .append("(user_id, client_id, bucket_start) DO UPDATE SET bytes_in = excluded.bytes_in, bytes_out = excluded.bytes_out;\n")
                    .append("INSERT INTO traffic_rollup_state (id, last_rolled_hour) VALUES (1, '").append(from).append("') ON CONFLICT (id) ")
                    .append("DO UPDATE SET last_rolled_hour = max(coalesce(last_rolled_hour, ''), excluded.last_rolled_hour);\nCOMMIT;\n");
        }
        String cut = fixed(Instant.now().minus(7, ChronoUnit.DAYS));
        long chunks = rows * 23 / 30 / 5000 + 2;
        for (long i = 0; i < chunks; i++) {
            sql.append("BEGIN IMMEDIATE;\nDELETE FROM traffic_samples_1m WHERE (user_id, bucket_start, client_id) IN (SELECT user_id, ")
                    .append("bucket_start, client_id FROM traffic_samples_1m WHERE bucket_start < '").append(cut).append("' LIMIT 5000);\nCOMMIT;\n");
        }
        sql.append("PRAGMA incremental_vacuum;\n");
        Path rollupSql = dir.resolve("rollup.sql");
        Files.writeString(rollupSql, sql);
        long c0 = System.nanoTime();
        ApiBench.shIn(rollupSql, "sqlite3", copy.toString());
        double cliRollup = (System.nanoTime() - c0) / 1e6;
        Files.delete(copy);

        HttpClient http = HttpClient.newHttpClient();
        try (ServerProcess serve = ServerProcess.start(data, ApiBench.JVM)) {
            boolean readyFirst = !serve.stderr().contains("event=traffic.rollup ");
            long deadline = System.nanoTime() + 1_200_000_000_000L;
            Matcher done = Pattern.compile("event=traffic\\.rollup hours=(\\d+) pruned_1m=(\\d+) pruned_1h=(\\d+) ms=(\\d+)").matcher("");
            while (!done.reset(serve.stderr()).find()) {
                if (System.nanoTime() > deadline || serve.stderr().contains("event=traffic.rollup_failed")) {
                    throw new IllegalStateException("no rollup:\n" + serve.stderr());
                }
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "(b) catch-up rollup at start: %s hours rolled, %,d minute rows pruned, in %,d ms "
                    + "(ready before it finished: %s)%n", done.group(1), Long.parseLong(done.group(2)), Long.parseLong(done.group(4)),
                    readyFirst ? "yes" : "no");
            System.out.printf(Locale.ROOT, "    sqlite3 CLI : %,.0f ms   (baseline: the same per-hour upserts, chunked deletes and "
                    + "incremental_vacuum as SQL text)%n", cliRollup);
            reads(http, serve, db);
            serve.stop();
        }
    }

    static void reads(HttpClient http, ServerProcess serve, Path db) throws Exception {
        List<Window> windows = List.of(new Window("1h, 1m", 3600, "1m"), new Window("24h, 1m", 86_400, "1m"),
                new Window("7d, 1h", 7 * 86_400, "1h"), new Window("7d, 1m", 7 * 86_400, "1m"));
        List<Route> routes = List.of(new Route("global", "/v1/traffic/global", "/v1/traffic/global", "",
                        " AND scope = 'all' AND scope_id = ''"),
                new Route("user u3 (10 clients)", "/v1/users/u3/traffic", "/v1/users/{user_id}/traffic", " AND user_id = 'u3'",
                        " AND scope = 'user' AND scope_id = 'u3'"),
                new Route("client c3 (10 users)", "/v1/clients/c3/traffic", "/v1/clients/{client_id}/traffic", " AND client_id = 'c3'",
                        " AND scope = 'client' AND scope_id = 'c3'"));
        System.out.println("(b) reads after the rollup: every case 20 times to warm the JIT up, then each case 100 times in a row;");
        System.out.println("    srv p50/p99 = server-side, from the server's own http_server_requests histogram (bucket upper bound);");
        System.out.println("    cli = the SQL the read runs, in the sqlite3 CLI (mean of 20 in one session), i.e. SQLite alone;");
        System.out.println("    cli sums = the baseline: the same series summed from the minute samples on each read (before V3's totals)");
        System.out.printf(Locale.ROOT, "    %-22s %-8s %8s %9s %9s %9s %9s %9s %9s%n", "route", "window", "samples", "rtt p50", "srv p50",
                "srv p99", "cli", "cli sums", "goal");
        for (int round = 0; round < 2; round++) {
            for (Route r : routes) {
                for (Window w : windows) {
                    if (round == 0) {
                        for (int i = 0; i < 20; i++) {
                            check(http.send(request(serve, r, w), HttpResponse.BodyHandlers.ofString()));
                        }
                    } else {
                        measure(http, serve, db, r, w);
                    }
                }
            }
        }
    }

    static HttpRequest request(ServerProcess serve, Route r, Window w) {
        long to = Instant.now().getEpochSecond();
        URI uri = URI.create("http://127.0.0.1:" + serve.port() + r.path() + "?from=" + (to - w.seconds()) + "&to=" + to + "&bucket="
                + w.bucket());
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ServerProcess.OPERATOR_TOKEN).build();
    }

    static void measure(HttpClient http, ServerProcess serve, Path db, Route r, Window w) throws Exception {
        HttpRequest req = request(serve, r, w);
        long to = Instant.now().getEpochSecond();
        long from = to - w.seconds();
        int samples = check(http.send(req, HttpResponse.BodyHandlers.ofString()));
        java.util.Map<Double, Double> before = ApiBench.buckets(http, serve.port(), r.template());
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long t0 = System.nanoTime();
            check(http.send(req, HttpResponse.BodyHandlers.ofString()));
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        java.util.Map<Double, Double> after = ApiBench.buckets(http, serve.port(), r.template());
        double srv50 = histogramPercentile(before, after, 0.50);
        double srv99 = histogramPercentile(before, after, 0.99);
        double cli = ApiBench.cliMeanMs(db, sqlOf(r, w, from, to, true), 20);
        double cliSums = ApiBench.cliMeanMs(db, sqlOf(r, w, from, to, false), 20);
        boolean uiWindow = !(r.name().equals("global") && w.name().equals("7d, 1m"));
        System.out.printf(Locale.ROOT, "    %-22s %-8s %8d %7.2fms %7.2fms %7.2fms %7.2fms %7.2fms %9s%n", r.name(), w.name(), samples,
                ApiBench.pct(ms, 50), srv50, srv99, cli, cliSums, uiWindow ? (srv99 < 50 ? "< 50 ok" : "MISSED") : "(not a UI query)");
    }

    /** The smallest bucket bound (ms) holding {@code share} of the requests between two scrapes. */
    static double histogramPercentile(java.util.Map<Double, Double> before, java.util.Map<Double, Double> after, double share) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (java.util.Map.Entry<Double, Double> e : after.entrySet()) {
            if (e.getValue() - before.getOrDefault(e.getKey(), 0.0) >= share * total) {
                return e.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    /**
     * The SQL of a read: with {@code totals}, what the server runs (minutes of a whole scope from
     * traffic_totals_1m); without, the same series summed from the minute samples. The 1h read takes
     * rolled hours from traffic_samples_1h and the rest from minutes.
     */
    static String sqlOf(Route r, Window w, long from, long to, boolean totals) {
        String sums = "CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER)";
        String minutes = totals ? "traffic_totals_1m" : "traffic_samples_1m";
        String minuteWhere = totals ? r.totals() : r.where();
        if (w.bucket().equals("1m")) {
            String range = " WHERE bucket_start >= '" + fixed(from) + "' AND bucket_start < '" + fixed(to) + "'" + minuteWhere;
            // Totals are one row per minute already: the server reads them without summing.
            return totals ? "SELECT bucket_start, bytes_in, bytes_out FROM " + minutes + range + " ORDER BY bucket_start"
                    : "SELECT bucket_start AS b, " + sums + " FROM " + minutes + range + " GROUP BY b ORDER BY b";
        }
        String fromH = fixed((from + 3599) / 3600 * 3600);
        String toH = fixed((to + 3599) / 3600 * 3600);
        String rolledEnd = fixed(to / 3600 * 3600); // the watermark is the last closed hour
        return "SELECT bucket_start AS b, " + sums + " FROM traffic_samples_1h WHERE bucket_start >= '" + fromH + "' AND bucket_start < '"
                + rolledEnd + "'" + r.where() + " GROUP BY b ORDER BY b; SELECT substr(bucket_start, 1, 13) || ':00:00.000Z' AS b, "
                + sums + " FROM " + minutes + " WHERE bucket_start >= '" + rolledEnd + "' AND bucket_start < '" + toH + "'"
                + minuteWhere + " GROUP BY b ORDER BY b";
    }

    static int check(HttpResponse<String> r) {
        if (r.statusCode() != 200 || !r.body().startsWith("{\"bucket\":")) {
            throw new IllegalStateException(r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
        }
        return r.body().split("\"ts\":", -1).length - 1;
    }

    static String fixed(long secs) {
        return fixed(Instant.ofEpochSecond(secs));
    }

    static String fixed(Instant t) {
        return Timestamps.format(t);
    }
}
