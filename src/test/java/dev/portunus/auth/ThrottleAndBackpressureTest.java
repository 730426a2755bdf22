package dev.portunus.auth;

import static dev.portunus.testing.Api.anonymous;
import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.audit.AuditWriter;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.Eventually;
import dev.portunus.testing.SmallLimitsStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SmallLimitsStoreResource.class, restrictToAnnotatedClass = true)
class ThrottleAndBackpressureTest {

    @Inject
    Store store;

    @Inject
    AuditWriter writer;

    @Test
    void loginLocksOutAfterRepeatedFailuresAndRecoversAfterTheWindow() throws Exception {
        Api.superadminExists();
        Api.user("olga", "user");
        for (int i = 0; i < 3; i++) {
            anonymous().body(Map.of("user_id", "olga", "password", "wrong-" + i)).post("/v1/auth/login").then().statusCode(401);
        }
        // Locked: even the right password is refused without being checked.
        anonymous().body(Map.of("user_id", "olga", "password", Api.PASSWORD)).post("/v1/auth/login").then().statusCode(429)
                .body("error.code", equalTo("rate_limited"));
        // Another subject from the same address is not affected.
        Api.user("pete", "user");
        Api.login("pete");
        Thread.sleep(2300);
        Api.login("olga");
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM login_attempts WHERE subject = 'olga'")));
    }

    @Test
    void onboardingIsThrottledToo() {
        // No onboarding here once a superadmin exists, but wrong setup tokens before that are throttled.
        store.write(h -> h.update("DELETE FROM login_attempts"));
        if (!anonymous().get("/v1/auth/status").then().extract().<Boolean>path("onboarding_required")) {
            return; // the lockout test created a superadmin first; the onboarding path is covered in BootstrapTest
        }
        for (int i = 0; i < 3; i++) {
            anonymous().body(onboarding()).post("/v1/auth/onboarding").then().statusCode(403);
        }
        anonymous().body(onboarding()).post("/v1/auth/onboarding").then().statusCode(429).body("error.code", equalTo("rate_limited"));
    }

    @Test
    void aFullAuditQueueDropsTheOldestAndCountsWithoutSlowingRequests() throws Exception {
        Api.superadminExists();
        long before = writer.queue().drops();
        long[] worst = new long[1];
        // Hold the store's write lock: the writer cannot commit, the 20-slot queue overflows.
        store.write(h -> {
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                anonymous().header("X-Request-Id", "flood-" + i).get("/v1/grants").then().statusCode(401);
                worst[0] = Math.max(worst[0], System.nanoTime() - t0);
            }
            return null;
        });
        assertTrue(worst[0] < 2_000_000_000L, "a request waited " + worst[0] / 1_000_000 + " ms on the audit writer");
        // The counter behind portunus_audit_buffer_drops_total (the series itself is checked in the metrics test;
        // read here directly because test apps of one JVM share Micrometer's global registry).
        long drops = writer.queue().drops() - before;
        assertTrue(drops >= 150, "drops counted: " + drops);
        Eventually.within(5000, "the newest entries are written", () -> store.read(h -> h.count(
                "SELECT count(*) FROM audit WHERE correlation_id = 'flood-199'")) == 1);
        // The oldest were dropped, the newest kept.
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM audit WHERE correlation_id = 'flood-5'")));
    }

    @Test
    void metricsExposeTheAuditAndStoreSeriesAndHttpHistograms() {
        Api.superadminExists();
        operator().get("/v1/users").then().statusCode(200);
        String text = anonymous().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] {"portunus_audit_buffer_drops_total", "portunus_audit_writer_lag_seconds",
                "portunus_audit_entries_written_total", "portunus_store_busy_total", "portunus_store_size_bytes",
                "portunus_store_wal_size_bytes", "portunus_last_backup_timestamp_seconds", "http_server_requests_seconds_bucket",
                "jvm_memory_used_bytes"}) {
            assertTrue(text.contains(name), name + " missing from /q/metrics:\n" + text.lines()
                    .filter(l -> l.startsWith("portunus")).collect(java.util.stream.Collectors.joining("\n")));
        }
        assertTrue(writer.alive());
        anonymous().get("/q/health/ready").then().statusCode(200).body("checks.name", org.hamcrest.Matchers.hasItem("audit-writer"));
    }

    private static Map<String, Object> onboarding() {
        return Map.of("user_id", "first", "display_name", "F", "password", Api.PASSWORD, "password_confirm", Api.PASSWORD,
                "setup_token", "wrong");
    }
}
