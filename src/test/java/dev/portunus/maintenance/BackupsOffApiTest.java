package dev.portunus.maintenance;

import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Without backup_dir: the list is empty with a null schedule, POST is 409, snapshots still work, metrics are zero. */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class BackupsOffApiTest {

    @Test
    void withoutABackupDirTheListIsEmptyAndPostIsRefused() {
        operator().get("/v1/backups").then().statusCode(200).body("backups.size()", equalTo(0))
                .body("schedule", hasKey("next_run_at")).body("schedule.next_run_at", nullValue())
                .body("schedule.last_success_at", nullValue()).body("schedule.last_failure_at", nullValue())
                .body("schedule.last_failure_reason", nullValue());
        operator().post("/v1/backups").then().statusCode(409).body("error.code", equalTo("backup_dir_unset"));
        operator().get("/v1/backups/portunus-state-20260101T000000Z.db").then().statusCode(404);
        operator().get("/v1/snapshot").then().statusCode(200).contentType("application/vnd.sqlite3");
        // Values of gauges are asserted in BackupScheduleIT (one process each): in this JVM the registry
        // outlives an application restart and keeps the first start's gauges.
        String metrics = RestAssured.get("/q/metrics").asString();
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("portunus_backup_next_run_timestamp_seconds "), metrics);
    }
}
