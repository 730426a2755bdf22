package dev.portunus.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.testing.CliRun;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.Privileged;
import dev.portunus.testing.ServerProcess;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule of 07-scheduled-backups.md §2 and §7 in real {@code serve} processes with a short test
 * interval ({@code -Dportunus.backup.test-interval}): verified artefacts, pruning to backup_keep, foreign
 * files, a full backup_dir, a run missed while serve was down, SIGTERM during a run, the API's downloads
 * restored with the real commands, and the startup refusals of the new settings.
 */
class BackupScheduleIT {

    private static final Pattern ARTEFACT = Pattern.compile("portunus-state-\\d{8}T\\d{6}Z(-\\d+)?\\.db");
    private static final Pattern COMPLETE_PATH = Pattern.compile("event=backup\\.complete trigger=schedule path=(\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path root;
    private Path dataDir;
    private Path backupDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("sched-");
        dataDir = root.resolve("data");
        backupDir = root.resolve("backups");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    private void toml(String... lines) throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("server.toml"), "operator_token = \"" + ServerProcess.OPERATOR_TOKEN + "\"\n"
                + String.join("\n", lines) + "\n");
    }

    private static List<String> jvm(String... more) {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
        options.addAll(List.of(more));
        return options;
    }

    private static List<String> names(Path dir, Pattern p) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> p.matcher(n).matches()).sorted().toList();
        }
    }

    private static boolean noTemporaries(Path dir) {
        try {
            return temporaries(dir).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
        }
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    private static double metric(ServerProcess s, String line) throws IOException {
        for (String l : s.get("/q/metrics", null).body().split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1).strip());
            }
        }
        throw new AssertionError("no metric " + line);
    }

    private HttpResponse<byte[]> download(ServerProcess s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Authorization", "Bearer " + ServerProcess.OPERATOR_TOKEN).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void nRunsMakeNVerifiedArtefactsExactlyKeepStayAndForeignFilesSurvive() throws Exception {
        toml("backup_dir = \"" + backupDir + "\"", "backup_keep = 2");
        Files.createDirectories(backupDir);
        Files.writeString(backupDir.resolve("notes.txt"), "the operator's own file");
        Files.writeString(backupDir.resolve("portunus-state-notes.db"), "not a product name");
        try (ServerProcess s = ServerProcess.start(dataDir, jvm("-Dportunus.backup.test-interval=2s"))) {
            Eventually.within(60_000, "4 scheduled backups", () -> count(s.stderr(), "event=backup.complete trigger=schedule") >= 4);
            assertTrue(metric(s, "portunus_backups_total{result=\"ok\",trigger=\"schedule\"}") >= 4);
            assertTrue(metric(s, "portunus_backup_bytes") > 0);
            assertTrue(metric(s, "portunus_backup_next_run_timestamp_seconds") >= Instant.now().getEpochSecond() - 5);
            assertTrue(metric(s, "portunus_last_backup_timestamp_seconds") >= Instant.now().getEpochSecond() - 60);
            // The log and the directory are compared once serve has stopped: while it runs, a run
            // every 2 s may publish or prune between reading the one and listing the other.
            assertEquals(0, s.stop());
            String err = s.stderr();
            Set<String> made = new LinkedHashSet<>();
            Matcher m = COMPLETE_PATH.matcher(err);
            while (m.find()) {
                made.add(Path.of(m.group(1)).getFileName().toString());
            }
            long runs = count(err, "event=backup.complete trigger=schedule");
            assertEquals(runs, made.size(), "every run published an artefact of its own: " + made);
            List<String> kept = names(backupDir, ARTEFACT);
            assertEquals(2, kept.size(), "after the last run's pruning exactly backup_keep stay: " + kept);
            assertEquals(made.size() - kept.size(), count(err, "event=backup.pruned name="), err);
            for (String name : kept) {
                assertTrue(made.contains(name), name + " came from a run");
                assertTrue(Files.exists(backupDir.resolve(name + ".sha256")));
                CliRun.Result v = CliRun.create().run("verify", "--in", backupDir.resolve(name).toString());
                assertEquals(0, v.exitCode(), v.toString());
            }
            assertTrue(Files.exists(backupDir.resolve("notes.txt")) && Files.exists(backupDir.resolve("portunus-state-notes.db")),
                    "foreign files survive");
            assertTrue(err.contains("event=startup.backup_dir_same_filesystem"), "backup_dir on the data-dir's disk is warned about");
        }
        assertEquals(List.of(), temporaries(backupDir));
    }

    @Test
    void aRunOnAFullBackupDirFailsCleanlyIsRetriedAndServeKeepsAnswering() throws Exception {
        Privileged.assumeRoot();
        Path mount = root.resolve("small");
        try (Privileged.LoopFs fs = Privileged.LoopFs.mount(mount, 2048)) {
            Path dir = mount.resolve("backups");
            Files.createDirectories(dir);
            toml("backup_dir = \"" + dir + "\"");
            fs.fillLeaving(8);
            try (ServerProcess s = ServerProcess.start(dataDir, jvm("-Dportunus.backup.test-interval=2s"))) {
                Eventually.within(60_000, "two failed runs (one retried)", () -> count(s.stderr(), "event=backup.failed trigger=schedule") >= 2);
                String failed = s.stderr().lines().filter(l -> l.contains("event=backup.failed")).findFirst().orElseThrow();
                assertTrue(failed.contains("reason=") && failed.contains("hint="), failed);
                assertEquals(List.of(), names(dir, ARTEFACT), "nothing published under a final name");
                assertEquals(200, s.get("/q/health/ready", null).statusCode(), "readiness is not affected");
                HttpResponse<String> api = s.operator("POST", "/v1/backups", null);
                assertEquals(507, api.statusCode(), api.body());
                assertTrue(api.body().contains("\"backup_failed\"") && api.body().contains("no space left"), api.body());
                assertEquals(200, s.operator("GET", "/v1/users", null).statusCode(), "serve keeps answering");
                JsonNode schedule = JSON.readTree(s.operator("GET", "/v1/backups", null).body()).get("schedule");
                assertFalse(schedule.get("last_failure_reason").isNull(), schedule.toString());
                assertTrue(metric(s, "portunus_backups_total{result=\"failed\",trigger=\"schedule\"}") >= 2);
                // The next run (every 2 s) may hold its own temporary file at any moment; a leaked one
                // never goes away.
                Eventually.within(10_000, "temporary files are removed after a failure", () -> noTemporaries(dir));
                // Space back: the retry succeeds.
                Files.delete(mount.resolve("filler"));
                Eventually.within(30_000, "a run after the space came back", () -> count(s.stderr(), "event=backup.complete trigger=schedule") >= 1);
                assertEquals(0, s.stop());
            }
            assertEquals(List.of(), temporaries(dir));
        }
    }

    @Test
    void theFirstRunIsOneIntervalAwayAndARunMissedWhileServeWasDownHappensSoonAfterRestart() throws Exception {
        toml("backup_dir = \"" + backupDir + "\"", "backup_interval = \"1h\"");
        Instant started = Instant.now();
        try (ServerProcess s = ServerProcess.start(dataDir, jvm("-Dportunus.backup.catch-up-delay=1s"))) {
            JsonNode schedule = JSON.readTree(s.operator("GET", "/v1/backups", null).body()).get("schedule");
            long next = Instant.parse(schedule.get("next_run_at").asText()).getEpochSecond();
            assertTrue(Math.abs(next - started.plusSeconds(3600).getEpochSecond()) < 120, "first run one interval after start: " + schedule);
            Thread.sleep(2000);
            assertFalse(s.stderr().contains("event=backup.complete"), "no run at start");
            assertEquals(0, s.stop());
        }
        long twoHoursAgo = Instant.now().minusSeconds(7200).getEpochSecond();
        Sqlite.exec(dataDir.resolve("state.db"), "INSERT INTO server_settings (id, settings_json, updated_at) VALUES (1, "
                + "json_object('last_scheduled_backup_unix', " + twoHoursAgo + "), '2026-01-01T00:00:00.000Z') "
                + "ON CONFLICT (id) DO UPDATE SET settings_json = json_set(settings_json, '$.last_scheduled_backup_unix', " + twoHoursAgo + ")");
        try (ServerProcess s = ServerProcess.start(dataDir, jvm("-Dportunus.backup.catch-up-delay=1s"))) {
            Eventually.within(30_000, "the missed run soon after restart", () -> s.stderr().contains("event=backup.complete trigger=schedule"));
            long recorded = Sqlite.scalar(dataDir.resolve("state.db"),
                    "SELECT json_extract(settings_json, '$.last_scheduled_backup_unix') FROM server_settings");
            assertTrue(recorded > twoHoursAgo + 3600, "the run's time is recorded: " + recorded);
            JsonNode schedule = JSON.readTree(s.operator("GET", "/v1/backups", null).body()).get("schedule");
            long next = Instant.parse(schedule.get("next_run_at").asText()).getEpochSecond();
            assertTrue(Math.abs(next - (recorded + 3600)) <= 2, "then every interval: " + schedule + " recorded " + recorded);
            assertEquals(1, names(backupDir, ARTEFACT).size());
            assertEquals(0, s.stop());
        }
    }

    @Test
    void sigtermDuringARunLeavesNoTemporaryFile() throws Exception {
        Stores.migrated(dataDir);
        // ~260 MB: a run of several seconds. With 400 000 rows (89 MB) a run once finished in 0.99 s,
        // inside the 1 s shutdown timeout, after the checks got faster (mapped reads), and nothing was abandoned.
        Sqlite.insertAudit(dataDir.resolve("state.db"), 1_200_000, "2026-01-01T00:00:00Z");
        toml("backup_dir = \"" + backupDir + "\"");
        // A shutdown timeout shorter than the run: the backup is abandoned and its temporary files removed.
        try (ServerProcess s = ServerProcess.start(dataDir, jvm("-Dportunus.backup.test-interval=1s", "-Dquarkus.shutdown.timeout=1s"))) {
            Eventually.within(60_000, "a run in progress", () -> {
                try {
                    return !temporaries(backupDir).isEmpty();
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals(0, s.stop());
            List<String> left = temporaries(backupDir);
            assertEquals(List.of(), left, s.stderr());
            assertTrue(s.stderr().contains("event=backup.failed reason=\"abandoned at shutdown"),
                    "the run outlasted the 1 s shutdown timeout and was abandoned:\n" + s.stderr());
            for (String name : names(backupDir, ARTEFACT)) {
                CliRun.Result v = CliRun.create().run("verify", "--in", backupDir.resolve(name).toString());
                assertEquals(0, v.exitCode(), "whatever was published is whole: " + v);
            }
        }
    }

    @Test
    void downloadsAndSnapshotsAreByteIdenticalToTheirHashPassVerifyAndRestore() throws Exception {
        toml("backup_dir = \"" + backupDir + "\"");
        try (ServerProcess s = ServerProcess.start(dataDir)) {
            assertEquals(201, s.operator("POST", "/v1/users", "{\"user_id\":\"ada\",\"display_name\":\"Ada\",\"role\":\"superadmin\","
                    + "\"initial_password\":\"correct horse battery\"}").statusCode());
            HttpResponse<String> created = s.operator("POST", "/v1/backups", "{}");
            assertEquals(201, created.statusCode(), created.body());
            String name = JSON.readTree(created.body()).get("name").asText();
            int i = 0;
            for (String path : List.of("/v1/backups/" + name, "/v1/snapshot")) {
                HttpResponse<byte[]> r = download(s, path);
                assertEquals(200, r.statusCode(), path);
                assertEquals("application/vnd.sqlite3", r.headers().firstValue("Content-Type").orElse(""));
                assertEquals(sha256(r.body()), r.headers().firstValue("X-Portunus-Sha256").orElse(""), path);
                assertEquals(Long.toString(r.body().length), r.headers().firstValue("Content-Length").orElse(""));
                Path file = root.resolve("download-" + i + ".db");
                Files.write(file, r.body());
                CliRun.Result v = CliRun.create().run("verify", "--in", file.toString());
                assertEquals(0, v.exitCode(), path + ": " + v);
                Path restored = root.resolve("restored-" + i++);
                CliRun.Result rs = CliRun.create().run("restore", "--in", file.toString(), "--data-dir", restored.toString());
                assertEquals(0, rs.exitCode(), path + ": " + rs);
                assertEquals(1, Sqlite.scalar(restored.resolve("state.db"), "SELECT count(*) FROM users WHERE id = 'ada'"));
            }
            assertEquals(404, download(s, "/v1/backups/" + name + ".sha256").statusCode());
            assertTrue(metric(s, "portunus_backups_total{result=\"ok\",trigger=\"snapshot\"}") >= 1);
            assertEquals(0, s.stop());
        }
    }

    @Test
    void withoutTheFeaturesEveryMeterIsZero() throws Exception {
        toml();
        try (ServerProcess s = ServerProcess.start(dataDir)) {
            for (String trigger : List.of("schedule", "api", "snapshot")) {
                for (String result : List.of("ok", "failed", "skipped")) {
                    assertEquals(0.0, metric(s, "portunus_backups_total{result=\"" + result + "\",trigger=\"" + trigger + "\"}"));
                }
            }
            for (String gauge : List.of("portunus_backup_duration_seconds", "portunus_backup_bytes",
                    "portunus_backup_next_run_timestamp_seconds", "portunus_audit_retention_pruned_total",
                    "portunus_last_backup_timestamp_seconds")) {
                assertEquals(0.0, metric(s, gauge), gauge);
            }
            assertEquals(0, s.stop());
        }
    }

    @Test
    void badSettingsAndARamBackupDirAreRefusedWith78() throws Exception {
        toml();
        String[][] bad = {{"PORTUNUS_BACKUP_INTERVAL", "30s", "backup_interval"}, {"PORTUNUS_BACKUP_INTERVAL", "often", "backup_interval"},
            {"PORTUNUS_BACKUP_KEEP", "0", "backup_keep"}, {"PORTUNUS_BACKUP_KEEP", "1001", "backup_keep"},
            {"PORTUNUS_AUDIT_RETENTION", "30m", "audit_retention"}, {"PORTUNUS_BACKUP_DIR", "relative/dir", "backup_dir"},
            {"PORTUNUS_BACKUP_DIR_ALLOW_NETWORK", "yes", "backup_dir_allow_network"}};
        for (String[] b : bad) {
            CliRun.Result r = CliRun.create().env(b[0], b[1]).run("serve", "--data-dir", dataDir.toString());
            assertEquals(78, r.exitCode(), b[0] + "=" + b[1] + ": " + r);
            assertTrue(r.eventLine("startup.config_invalid").contains("key=" + b[2]), r.toString());
        }
        Path shm = Path.of("/dev/shm/portunus-it-" + ProcessHandle.current().pid());
        CliRun.Result r = CliRun.create().env("PORTUNUS_BACKUP_DIR", shm.toString()).run("serve", "--data-dir", dataDir.toString());
        assertEquals(78, r.exitCode(), r.toString());
        assertTrue(r.eventLine("startup.unsupported_filesystem").contains("path=" + shm + " fs=tmpfs"), r.toString());
        assertFalse(Files.exists(shm), "nothing created on tmpfs");
    }
}
