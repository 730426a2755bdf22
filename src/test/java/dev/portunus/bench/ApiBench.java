package dev.portunus.bench;

import dev.portunus.audit.WriterBench;
import dev.portunus.store.SqliteFile;
import dev.portunus.testing.ServerProcess;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator API benchmark (issue 3), run by {@code bench/api-bench.sh}, never by {@code mvn verify}:
 * (a) wrk on an authenticated mutating request, audit writer on vs off;
 * (b) the audit writer's sustained entries/s vs the sqlite3 CLI with the same rows and batch size;
 * (c) GET /v1/audit envelope pages at 1,000,000 entries vs the same query in the sqlite3 CLI.
 * Every figure is printed beside its baseline from the same run, as a ratio.
 */
public final class ApiBench {

    static final String TOKEN = ServerProcess.OPERATOR_TOKEN;
    static final List<String> JVM = List.of("-XX:+UseSerialGC");

    public static void main(String[] args) throws Exception {
        Path root = TestFiles.tempDir("bench-");
        Path template = migratedStore(root.resolve("template"));
        System.out.println("# Portunus operator API benchmark — " + java.time.Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, sqlite3 " + sh("sqlite3", "--version").split(" ")[0]);
        boolean all = args.length == 0;
        if (all || List.of(args).contains("a")) {
            mutatingLatency(root.resolve("a"), template);
        }
        if (all || List.of(args).contains("b")) {
            writerRate(root.resolve("b"), template);
        }
        if (all || List.of(args).contains("c")) {
            auditPages(root.resolve("c"), template);
        }
        TestFiles.deleteTree(root);
    }

    // ---------------------------------------------------------------- (a)

    record Wrk(double p50, double p99, double rps) {
    }

    static void mutatingLatency(Path dir, Path template) throws Exception {
        Path data = copyStore(template, dir.resolve("data"));
        Path lua = dir.resolve("post-grant.lua");
        Files.writeString(lua, "wrk.method = \"POST\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + TOKEN + "\"\n"
                + "wrk.body = '{\"user_id\":\"bench\",\"client\":\"*\",\"listen_port_start\":1000,\"listen_port_end\":2000,"
                + "\"protocols\":[\"tcp\"]}'\n");
        List<Wrk> on = new ArrayList<>();
        List<Wrk> off = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (boolean audit : new boolean[] {true, false}) {
                List<String> jvm = new ArrayList<>(JVM);
                jvm.add("-Dportunus.audit.enabled=" + audit);
                try (ServerProcess serve = ServerProcess.start(data, jvm)) {
                    serve.operator("POST", "/v1/users", "{\"user_id\":\"bench\",\"display_name\":\"Bench\"}");
                    String url = "http://127.0.0.1:" + serve.port() + "/v1/grants";
                    wrk(lua, url, 5); // warm-up: JIT, pool
                    Wrk w = wrk(lua, url, 10);
                    (audit ? on : off).add(w);
                    System.out.printf(Locale.ROOT, "(a) round %d audit=%-5s  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n", round + 1,
                            audit, w.rps(), w.p50(), w.p99());
                    serve.stop();
                }
            }
        }
        Wrk a = best(on);
        Wrk b = best(off);
        System.out.printf(Locale.ROOT, "(a) POST /v1/grants, wrk -t2 -c16, best of 2 rounds each:%n"
                + "    audit on : %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n"
                + "    audit off: %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms   (baseline)%n"
                + "    ratio on/off: throughput %.3f  p50 %.3f  p99 %.3f  (goal p99 <= 1.10)%n",
                a.rps(), a.p50(), a.p99(), b.rps(), b.p50(), b.p99(), a.rps() / b.rps(), a.p50() / b.p50(), a.p99() / b.p99());
    }

    static Wrk best(List<Wrk> runs) {
        return runs.stream().min((x, y) -> Double.compare(x.p99(), y.p99())).orElseThrow();
    }

    static Wrk wrk(Path lua, String url, int seconds) throws Exception {
        String out = sh("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency", "-s", lua.toString(), url);
        return new Wrk(latency(out, "50%"), latency(out, "99%"), number(out, "Requests/sec:\\s+([0-9.]+)"));
    }

    static double latency(String wrkOut, String pct) {
        Matcher m = Pattern.compile(Pattern.quote(pct) + "\\s+([0-9.]+)(us|ms|s)").matcher(wrkOut);
        if (!m.find()) {
            throw new IllegalStateException("no " + pct + " in wrk output:\n" + wrkOut);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    // ---------------------------------------------------------------- (b)

    static void writerRate(Path dir, Path template) throws Exception {
        int rows = 200_000;
        int batch = 256;
        Path writerDb = copyStore(template, dir.resolve("writer")).resolve("state.db");
        Path cliDb = copyStore(template, dir.resolve("cli")).resolve("state.db");
        double writer = WriterBench.run(SqliteFile.jdbcUrl(writerDb), rows, batch);
        Path sql = dir.resolve("inserts.sql");
        StringBuilder b = new StringBuilder("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n");
        String ts = dev.portunus.store.Timestamps.now();
        for (int i = 0; i < rows; i++) {
            if (i % batch == 0) {
                b.append("BEGIN IMMEDIATE;\n");
            }
            b.append("INSERT INTO audit (ts, actor, role, method, path, outcome, reason, correlation_id) VALUES ('").append(ts)
                    .append("','bench','superadmin','POST','/v1/grants','").append(i % 3 == 0 ? "deny','forbidden'" : "allow',NULL")
                    .append(",'corr-").append(i).append("');\n");
            if (i % batch == batch - 1 || i == rows - 1) {
                b.append("COMMIT;\n");
            }
        }
        Files.writeString(sql, b);
        long t0 = System.nanoTime();
        shIn(sql, "sqlite3", cliDb.toString());
        double cli = rows / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "(b) audit writer, %d entries in batches of %d (one BEGIN IMMEDIATE each):%n"
                + "    AuditWriter : %9.0f entries/s%n"
                + "    sqlite3 CLI : %9.0f rows/s   (baseline: same rows as SQL text, same batches, same PRAGMAs)%n"
                + "    ratio writer/CLI: %.2f  (goal >= 50,000/s)%n", rows, batch, writer, cli, writer / cli);
    }

    // ---------------------------------------------------------------- (c)

    record Query(String name, String api, String sql) {
    }

    static void auditPages(Path dir, Path template) throws Exception {
        Path data = copyStore(template, dir.resolve("data"));
        Path db = data.resolve("state.db");
        long t0 = System.nanoTime();
        sh("sqlite3", db.toString(), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
                + "INSERT INTO audit (ts, actor, role, method, path, outcome, reason, correlation_id) SELECT "
                + "strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' seconds'), 'user' || (i % 50), 'user', "
                + "CASE WHEN i % 4 = 0 THEN 'DELETE' ELSE 'POST' END, '/v1/grants/gr_' || i, "
                + "CASE WHEN i % 10 = 0 THEN 'deny' ELSE 'allow' END, CASE WHEN i % 10 = 0 THEN 'forbidden' END, "
                + "'corr-' || i FROM n;");
        System.out.printf(Locale.ROOT, "(c) fabricated 1,000,000 audit rows with the sqlite3 CLI in %.1f s (%d MB)%n",
                (System.nanoTime() - t0) / 1e9, Files.size(db) >> 20);
        String since = "2025-01-05T15:06:40.000Z"; // ts of entry 400,000
        String until = "2025-01-07T22:40:00.000Z"; // ts of entry 600,000
        String cols = "SELECT seq, ts, actor, role, method, path, outcome, reason FROM audit ";
        List<Query> queries = List.of(
                new Query("first page, whole log", "since=2025-01-01T00:00:00Z&limit=100",
                        cols + "WHERE ts >= '2025-01-01T00:00:00.000Z' ORDER BY seq DESC LIMIT 101"),
                new Query("deep page (seq < 50,000)", "cursor=" + cursor(50_000) + "&limit=100",
                        cols + "WHERE seq < 50000 ORDER BY seq DESC LIMIT 101"),
                new Query("first page, outcome=deny", "since=2025-01-01T00:00:00Z&outcome=deny&limit=100",
                        cols + "WHERE ts >= '2025-01-01T00:00:00.000Z' AND outcome = 'deny' ORDER BY seq DESC LIMIT 101"),
                new Query("deep page, outcome=deny", "cursor=" + cursor(50_000) + "&outcome=deny&limit=100",
                        cols + "WHERE seq < 50000 AND outcome = 'deny' ORDER BY seq DESC LIMIT 101"),
                new Query("time window, first page", "since=" + since + "&until=" + until + "&limit=100",
                        cols + "WHERE ts >= '" + since + "' AND ts < '" + until + "' ORDER BY seq DESC LIMIT 101"),
                new Query("time window + deny, deep in window", "since=" + since + "&until=" + until + "&outcome=deny&cursor="
                        + cursor(450_000) + "&limit=100", cols + "WHERE ts >= '" + since + "' AND ts < '" + until
                        + "' AND outcome = 'deny' AND seq < 450000 ORDER BY seq DESC LIMIT 101"));
        HttpClient http = HttpClient.newHttpClient();
        try (ServerProcess serve = ServerProcess.start(data, JVM)) {
            System.out.println("(c) GET /v1/audit at 1,000,000 entries, limit=100, 300 sequential requests each (keep-alive loopback).");
            System.out.println("    rtt = client round trip; srv p99 = server-side, from the server's own http_server_requests");
            System.out.println("    histogram (bucket upper bound); CLI = the same SQL in one sqlite3 session, mean of 300 runs");
            System.out.println("    (session time minus an empty session), i.e. SQLite alone with the plan it picks itself");
            System.out.printf(Locale.ROOT, "    %-36s %9s %9s %9s %9s %12s%n", "query", "rtt p50", "rtt p99", "srv p99", "cli mean",
                    "srv99/cli");
            for (Query q : queries) {
                URI uri = URI.create("http://127.0.0.1:" + serve.port() + "/v1/audit?" + q.api());
                HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN).build();
                for (int i = 0; i < 300; i++) {
                    check(http.send(req, HttpResponse.BodyHandlers.ofString()));
                }
                List<Double> ms = new ArrayList<>();
                java.util.Map<Double, Double> before = buckets(http, serve.port());
                for (int i = 0; i < 300; i++) {
                    long s = System.nanoTime();
                    check(http.send(req, HttpResponse.BodyHandlers.ofString()));
                    ms.add((System.nanoTime() - s) / 1e6);
                }
                double serverP99 = histogramP99(before, buckets(http, serve.port()));
                double cli = cliMeanMs(db, q.sql(), 300);
                System.out.printf(Locale.ROOT, "    %-36s %7.2fms %7.2fms %7.2fms %7.3fms %12.2f%n", q.name(), pct(ms, 50),
                        pct(ms, 99), serverP99, cli, serverP99 / cli);
            }
            serve.stop();
        }
    }

    static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200 || !r.body().startsWith("{\"entries\":[{")) {
            throw new IllegalStateException(r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    /** Mean ms per run of {@code sql} in one sqlite3 session, net of the session's own start and stop. */
    static double cliMeanMs(Path db, String sql, int runs) throws Exception {
        Path empty = Files.createTempFile(db.getParent(), "q-", ".sql");
        Files.writeString(empty, ".output /dev/null\n" + sql + ";\n");
        Path full = Files.createTempFile(db.getParent(), "q-", ".sql");
        Files.writeString(full, ".output /dev/null\n" + (sql + ";\n").repeat(runs + 1));
        shIn(full, "sqlite3", db.toString()); // warm the page cache
        long best0 = Long.MAX_VALUE;
        long best1 = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            shIn(empty, "sqlite3", db.toString());
            long t1 = System.nanoTime();
            shIn(full, "sqlite3", db.toString());
            long t2 = System.nanoTime();
            best0 = Math.min(best0, t1 - t0);
            best1 = Math.min(best1, t2 - t1);
        }
        return Math.max(0, best1 - best0) / 1e6 / runs;
    }

    static final Pattern BUCKET = Pattern.compile(
            "(?m)^http_server_requests_seconds_bucket\\{(.*)\\} ([0-9.eE+]+)$"); // uri labels may hold {…}

    /** le (seconds) → cumulative count of GET /v1/audit 200s in the server's own histogram. */
    static java.util.Map<Double, Double> buckets(HttpClient http, int port) throws Exception {
        return buckets(http, port, "/v1/audit");
    }

    /** le (seconds) → cumulative count of 200s of the route template {@code uri} in the server's own histogram. */
    static java.util.Map<Double, Double> buckets(HttpClient http, int port, String uri) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.Map<Double, Double> out = new java.util.TreeMap<>();
        Matcher m = BUCKET.matcher(text);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("uri=\"" + uri + "\"") && labels.contains("status=\"200\"")) {
                Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(labels);
                if (le.find()) {
                    double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                    out.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return out;
    }

    /** p99 in ms from the difference of two scrapes: the smallest bucket bound holding 99 % of the new requests. */
    static double histogramP99(java.util.Map<Double, Double> before, java.util.Map<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (java.util.Map.Entry<Double, Double> e : after.entrySet()) {
            double n = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (n >= 0.99 * total) {
                return e.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    static String cursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("seq:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    // ---------------------------------------------------------------- helpers

    /** A store migrated by serve itself (start, stop), copied for each part. */
    static Path migratedStore(Path data) {
        try (ServerProcess serve = ServerProcess.start(data, JVM)) {
            serve.stop();
        }
        return data;
    }

    static Path copyStore(Path template, Path data) throws IOException {
        Files.createDirectories(data);
        Files.copy(template.resolve("state.db"), data.resolve("state.db"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(template.resolve("server.toml"), data.resolve("server.toml"), StandardCopyOption.REPLACE_EXISTING);
        return data;
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        return shIn(null, cmd);
    }

    static String shIn(Path stdin, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
