package dev.portunus.maintenance;

import static dev.portunus.testing.Api.bearer;
import static dev.portunus.testing.Api.mint;
import static dev.portunus.testing.Api.operator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.audit.AuditWriter;
import dev.portunus.config.PortunusConfig;
import dev.portunus.ops.Sha256;
import dev.portunus.ops.VerifyService;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.BackupDirStoreResource;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.RawHttp;
import dev.portunus.testing.TestFiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backup routes of 07-scheduled-backups.md §4 in-process: shapes, names, access, audit, metrics. */
@QuarkusTest
@QuarkusTestResource(value = BackupDirStoreResource.class, restrictToAnnotatedClass = true)
class BackupsApiTest {

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    @Inject
    BackupsService backups;

    @Inject
    AuditWriter writer;

    @BeforeEach
    void users() {
        Api.superadminExists();
        Api.user("mia", "user");
    }

    private Path dir() {
        return config.settings().backupDir().orElseThrow();
    }

    private long audited(String pathLike) {
        return store.read(h -> h.count("SELECT count(*) FROM audit WHERE path LIKE ?", pathLike));
    }

    @Test
    void aBackupIsCreatedListedAndDownloadedByteIdenticalToItsHash() throws Exception {
        Response created = operator().post("/v1/backups");
        created.then().statusCode(201);
        String name = created.path("name");
        assertTrue(name.matches("portunus-state-\\d{8}T\\d{6}Z(-\\d+)?\\.db"), name);
        assertEquals(true, created.path("verified"));
        assertEquals(dev.portunus.store.Schema.LATEST_VERSION, (int) created.path("schema_version"));
        assertTrue(((String) created.path("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z"));
        Path artefact = dir().resolve(name);
        assertEquals(Files.size(artefact), ((Number) created.path("bytes")).longValue());
        assertEquals(Sha256.ofFile(artefact), created.path("sha256"));

        Response list = operator().get("/v1/backups");
        list.then().statusCode(200);
        assertEquals(name, list.path("backups[0].name"));
        assertEquals((String) created.path("sha256"), list.path("backups[0].sha256"));
        assertEquals((String) created.path("created_at"), list.path("backups[0].created_at"));
        assertNotNull(list.path("schedule.last_success_at"));
        assertNotNull(list.path("schedule.next_run_at"), "the schedule is on: its next run is a day away");

        Response download = operator().get("/v1/backups/" + name);
        download.then().statusCode(200).contentType("application/vnd.sqlite3")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        byte[] bytes = download.asByteArray();
        assertEquals(Long.toString(bytes.length), download.header("Content-Length"));
        assertEquals(created.path("sha256"), download.header("X-Portunus-Sha256"));
        assertEquals(download.header("X-Portunus-Sha256"), Sha256.of(new ByteArrayInputStream(bytes)));
        assertArrayEquals(Files.readAllBytes(artefact), bytes);
    }

    @Test
    void aSnapshotStreamsAFreshVerifiableCopyAndKeepsNothing() throws Exception {
        Response snap = operator().get("/v1/snapshot");
        snap.then().statusCode(200).contentType("application/vnd.sqlite3");
        byte[] bytes = snap.asByteArray();
        assertEquals(Long.toString(bytes.length), snap.header("Content-Length"));
        assertEquals(snap.header("X-Portunus-Sha256"), Sha256.of(new ByteArrayInputStream(bytes)));
        assertTrue(snap.header("Content-Disposition").startsWith("attachment; filename=\"portunus-snapshot-"));
        Path copy = TestFiles.tempDir("snap-").resolve("snapshot.db");
        Files.write(copy, bytes);
        VerifyService.Summary summary = VerifyService.verify(copy);
        assertEquals(dev.portunus.store.Schema.LATEST_VERSION, summary.schemaVersion());
        assertTrue(summary.rowCounts().get("users") >= 2, "the copy holds the users: " + summary.rowCounts());
        try (Stream<Path> s = Files.list(config.dataDir())) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("snapshot")).toList();
            assertEquals(List.of(), left, "no snapshot file is kept in the data-dir");
        }
        TestFiles.deleteTree(copy.getParent());
    }

    @Test
    void onlyListedNamesAreServedEverythingElseIs404() throws Exception {
        String name = operator().post("/v1/backups").then().statusCode(201).extract().path("name");
        Files.writeString(dir().resolve("notes.txt"), "operator's own file");
        Files.writeString(dir().resolve("portunus-state-20200101T000000Z.db"), "no sidecar: not a finished artefact");
        RawHttp raw = RawHttp.plain(RestAssured.port);
        for (String target : List.of("/v1/backups/../state.db", "/v1/backups/..%2Fstate.db", "/v1/backups/%2e%2e",
                "/v1/backups/%2e%2e%2fstate.db", "/v1/backups/%2Fetc%2Fpasswd", "/v1/backups//etc/passwd",
                "/v1/backups/" + name + ".sha256", "/v1/backups/notes.txt", "/v1/backups/portunus-state-20200101T000000Z.db",
                "/v1/backups/" + dir().resolve(name).toString().replace("/", "%2F"), "/v1/backups/%2e%2e/state.db")) {
            RawHttp.Reply r = raw.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + dev.portunus.testing.TempStoreResource.OPERATOR_TOKEN + "\r\nConnection: close\r\n\r\n");
            assertTrue(r.status() == 404 || r.status() == 400, target + " -> " + r);
            assertFalse(r.text().contains("SQLite format 3"), target + " must not leak a file");
        }
        List<String> listed = operator().get("/v1/backups").then().extract().path("backups.name");
        assertTrue(listed.contains(name), listed.toString());
        assertFalse(listed.contains("portunus-state-20200101T000000Z.db"), "a .db without sidecar is not listed: " + listed);
    }

    @Test
    void aNonSuperadminIsRefusedAndEveryCallIsAudited() {
        String token = mint("mia");
        // Entries of the tests before this one may still be on their way to the store.
        Eventually.within(5000, "earlier entries written", () -> writer.queue().reserved() == 0);
        long before = audited("/v1/backups%") + audited("/v1/snapshot%");
        bearer(token).post("/v1/backups").then().statusCode(403);
        bearer(token).get("/v1/backups").then().statusCode(403);
        bearer(token).get("/v1/backups/portunus-state-20260101T000000Z.db").then().statusCode(403);
        bearer(token).get("/v1/snapshot").then().statusCode(403);
        operator().get("/v1/backups").then().statusCode(200);
        operator().get("/v1/snapshot").then().statusCode(200);
        operator().get("/v1/backups/nope.db").then().statusCode(404);
        Eventually.within(5000, "7 audit entries", () -> audited("/v1/backups%") + audited("/v1/snapshot%") - before == 7);
        long allowedReads = store.read(h -> h.count("SELECT count(*) FROM audit WHERE method = 'GET' AND outcome = 'allow' "
                + "AND (path = '/v1/backups' OR path = '/v1/snapshot')"));
        assertTrue(allowedReads >= 2, "allowed GETs of the list and the snapshot are audited too");
    }

    @Test
    void postTakesNoBodyAndRefusesWhileABackupRuns() {
        operator().body("{\"x\":1}").post("/v1/backups").then().statusCode(422);
        operator().body("[]").post("/v1/backups").then().statusCode(422);
        operator().body("{ }").post("/v1/backups").then().statusCode(201);
        assertTrue(backups.tryBegin(), "nothing else runs");
        try {
            operator().post("/v1/backups").then().statusCode(409).body("error.code", org.hamcrest.Matchers.equalTo("backup_in_progress"));
        } finally {
            backups.end();
        }
        String metrics = RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.matches("(?s).*portunus_backups_total\\{result=\"skipped\",trigger=\"api\"} [1-9].*"), metrics);
        // Gauge values are asserted in BackupScheduleIT (one process each): in this JVM the registry outlives
        // an application restart and keeps the first start's gauges.
        for (String meter : List.of("portunus_backup_bytes", "portunus_backup_duration_seconds",
                "portunus_backup_next_run_timestamp_seconds", "portunus_last_backup_timestamp_seconds",
                "portunus_audit_retention_pruned_total")) {
            assertTrue(metrics.contains("\n" + meter + " "), meter + " is exposed");
        }
    }

    @Test
    void pruningKeepsTheNewestAndNeverTouchesForeignFiles() throws Exception {
        Files.writeString(dir().resolve("keep-me.db"), "foreign");
        for (int i = 0; i < BackupDirStoreResource.KEEP + 2; i++) {
            operator().post("/v1/backups").then().statusCode(201);
        }
        List<String> listed = operator().get("/v1/backups").then().extract().path("backups.name");
        assertEquals(BackupDirStoreResource.KEEP, listed.size(), listed.toString());
        List<String> sorted = listed.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        assertEquals(sorted.size(), listed.size());
        assertTrue(Files.exists(dir().resolve("keep-me.db")), "a foreign file survives pruning");
        try (Stream<Path> s = Files.list(dir())) {
            long sidecars = s.filter(p -> p.toString().endsWith(".sha256")).count();
            assertEquals(BackupDirStoreResource.KEEP, sidecars, "sidecars go with their artefacts");
        }
        Map<String, Object> schedule = operator().get("/v1/backups").then().extract().path("schedule");
        assertTrue(schedule.containsKey("last_failure_reason"), "schedule fields are present even when null: " + schedule);
    }
}
