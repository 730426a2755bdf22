package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.CliRun;
import dev.portunus.testing.ServerProcess;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** user-add and reset-password against real processes: refusals (75 while serve runs, 1 without a store) and effect. */
class OfflineUserHelpersIT {

    @Test
    void helpersRefuseWithoutAStoreAndWhileServeRunsAndWorkWhenItIsStopped() throws Exception {
        Path data = TestFiles.tempDir("it-helpers-").resolve("data");
        Files.createDirectories(data);
        CliRun.Result none = ServerProcess.command(data, "a long password\n", "user-add", "ops", "--display-name", "Ops",
                "--role", "superadmin", "--password-stdin");
        assertEquals(1, none.exitCode(), none.stderr());
        assertTrue(none.stderr().contains("no store here"), none.stderr());
        assertFalse(Files.exists(data.resolve("state.db")) && Files.size(data.resolve("state.db")) > 0, "no store was created");

        try (ServerProcess serve = ServerProcess.start(data)) {
            CliRun.Result busy = ServerProcess.command(data, "a long password\n", "user-add", "ops", "--display-name",
                    "Ops", "--password-stdin");
            assertEquals(75, busy.exitCode(), busy.stderr());
            assertTrue(busy.stderr().contains("event=startup.store_in_use"), busy.stderr());
            CliRun.Result reset = ServerProcess.command(data, null, "reset-password", "ops", "--temporary");
            assertEquals(75, reset.exitCode(), reset.stderr());
            assertEquals(0, serve.stop());
        }

        CliRun.Result added = ServerProcess.command(data, "a long password\n", "user-add", "ops", "--display-name", "Ops",
                "--role", "superadmin", "--password-stdin");
        assertEquals(0, added.exitCode(), added.stderr());
        assertFalse(added.stderr().contains("a long password"));
        CliRun.Result reset = ServerProcess.command(data, null, "reset-password", "ops", "--temporary");
        assertEquals(0, reset.exitCode(), reset.stderr());
        String temporary = reset.stdout().trim();
        assertTrue(temporary.length() >= 16, reset.stdout());
        assertEquals(2, ServerProcess.command(data, null, "reset-password", "ops").exitCode(), "needs --temporary or stdin");
        assertEquals(1, ServerProcess.command(data, null, "reset-password", "ghost", "--temporary").exitCode());

        try (ServerProcess serve = ServerProcess.start(data)) {
            assertEquals(200, serve.send("GET", "/v1/auth/status", null, null).statusCode());
            assertTrue(serve.send("GET", "/v1/auth/status", null, null).body().contains("\"onboarding_required\":false"));
            var login = serve.send("POST", "/v1/auth/login", null, "{\"user_id\":\"ops\",\"password\":\"" + temporary + "\"}");
            assertEquals(200, login.statusCode(), login.body());
            assertTrue(login.body().contains("\"password_change_required\":true"));
            assertFalse(serve.stderr().contains("event=onboarding.setup_token"), "onboarding closed: no setup token minted");
            serve.stop();
        }
    }

    @Test
    void serveLogsTheSetupTokenOnceWhileOnboardingIsOpenAndRotatesItAtEachStart() throws Exception {
        Path data = TestFiles.tempDir("it-setup-").resolve("data");
        String first;
        try (ServerProcess serve = ServerProcess.start(data)) {
            first = token(serve.stderr());
            assertEquals(1, serve.stderr().split("event=onboarding.setup_token", -1).length - 1);
            serve.stop();
        }
        try (ServerProcess serve = ServerProcess.start(data)) {
            String second = token(serve.stderr());
            assertFalse(first.equals(second), "rotated");
            String body = "{\"user_id\":\"boss\",\"display_name\":\"Boss\",\"password\":\"long enough pw\","
                    + "\"password_confirm\":\"long enough pw\",\"setup_token\":\"" + first + "\"}";
            assertEquals(403, serve.send("POST", "/v1/auth/onboarding", null, body).statusCode(), "the old token is dead");
            assertEquals(201, serve.send("POST", "/v1/auth/onboarding", null, body.replace(first, second)).statusCode());
            serve.stop();
        }
    }

    private static String token(String stderr) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("event=onboarding.setup_token token=(\\S+)").matcher(stderr);
        assertTrue(m.find(), stderr);
        return m.group(1);
    }
}
