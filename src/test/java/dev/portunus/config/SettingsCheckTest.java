package dev.portunus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portunus.events.Refusal;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The layers of the operator settings (01-store.md §3a) as the launcher resolves them before serve boots. */
class SettingsCheckTest {

    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestFiles.tempDir("settings-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dir);
    }

    @Test
    void withoutAFileTheBuiltInDefaultsApply() {
        Map<Setting, String> s = SettingsCheck.effective(dir, Map.of(), Map.of());
        assertEquals("127.0.0.1:7080", s.get(Setting.OPERATOR_HTTP_LISTEN));
        assertEquals("0.0.0.0:7443", s.get(Setting.CLIENT_LISTEN));
        assertEquals(Optional.empty(), Optional.ofNullable(s.get(Setting.OPERATOR_TOKEN)));
        assertEquals("text", s.get(Setting.LOG_FORMAT));
    }

    @Test
    void tomlOverridesDefaultsEnvironmentOverridesTomlFlagsOverrideEnvironment() throws Exception {
        Files.writeString(dir.resolve("server.toml"), "operator_http_listen = \"0.0.0.0:1\"\nclient_listen = \"[::1]:2\"\n"
                + "log_format = \"json\"\n");
        Map<Setting, String> toml = SettingsCheck.effective(dir, Map.of(), Map.of());
        assertEquals("0.0.0.0:1", toml.get(Setting.OPERATOR_HTTP_LISTEN));
        assertEquals("::1", HostPort.parse(toml.get(Setting.CLIENT_LISTEN)).host());
        assertEquals("json", toml.get(Setting.LOG_FORMAT));
        Map<Setting, String> env = SettingsCheck.effective(dir, Map.of("PORTUNUS_OPERATOR_HTTP_LISTEN", "127.0.0.1:3",
                "PORTUNUS_LOG_FORMAT", ""), Map.of());
        assertEquals("127.0.0.1:3", env.get(Setting.OPERATOR_HTTP_LISTEN));
        assertEquals("json", env.get(Setting.LOG_FORMAT), "an empty variable does not override");
        Map<Setting, String> flag = SettingsCheck.effective(dir, Map.of("PORTUNUS_OPERATOR_HTTP_LISTEN", "127.0.0.1:3"),
                Map.of(Setting.OPERATOR_HTTP_LISTEN, "127.0.0.1:4"));
        assertEquals("127.0.0.1:4", flag.get(Setting.OPERATOR_HTTP_LISTEN));
    }

    @Test
    void trafficRetentionIsDaysWithinItsRange() throws Exception {
        Map<Setting, String> defaults = SettingsCheck.effective(dir, Map.of(), Map.of());
        assertEquals("7", defaults.get(Setting.TRAFFIC_RETENTION_1M_DAYS));
        assertEquals("90", defaults.get(Setting.TRAFFIC_RETENTION_1H_DAYS));
        Files.writeString(dir.resolve("server.toml"), "traffic_retention_1m_days = 14\ntraffic_retention_1h_days = \"400\"\n");
        Map<Setting, String> toml = SettingsCheck.effective(dir, Map.of(), Map.of());
        assertEquals("14", toml.get(Setting.TRAFFIC_RETENTION_1M_DAYS));
        assertEquals("400", toml.get(Setting.TRAFFIC_RETENTION_1H_DAYS));
        for (String bad : new String[] {"0", "366", "-1", "7.5", "\"\"", "\"seven\""}) {
            Files.writeString(dir.resolve("server.toml"), "traffic_retention_1m_days = " + bad + "\n");
            Refusal r = assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of(), Map.of()), bad);
            assertEquals(78, r.exitCode());
            assertEquals("traffic_retention_1m_days", r.event().field("key"), bad);
        }
        Files.writeString(dir.resolve("server.toml"), "");
        assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of("PORTUNUS_TRAFFIC_RETENTION_1H_DAYS", "30"), Map.of()),
                "an hourly retention shorter than a month would cut quota periods short");
        assertEquals("31", SettingsCheck.effective(dir, Map.of(), Map.of(Setting.TRAFFIC_RETENTION_1H_DAYS, "31"))
                .get(Setting.TRAFFIC_RETENTION_1H_DAYS));
    }

    @Test
    void badValuesAreRefusedNamingKeyAndLineAndTheTokenNeverAppears() throws Exception {
        Files.writeString(dir.resolve("server.toml"), "\noperator_token = \"short\"\n");
        Refusal r = assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of(), Map.of()));
        assertEquals(78, r.exitCode());
        assertEquals("operator_token", r.event().field("key"));
        assertEquals(2, r.event().field("line"));
        Files.writeString(dir.resolve("server.toml"), "log_format = 5\n");
        assertEquals("log_format", assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of(), Map.of()))
                .event().field("key"));
        Files.writeString(dir.resolve("server.toml"), "operator_token = \"sh0rt-s3cret\"\n");
        Refusal tooShort = assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of(), Map.of()));
        for (String field : new String[] {"reason", "hint", "key", "path"}) {
            assertFalse(String.valueOf(tooShort.event().field(field)).contains("sh0rt-s3cret"), "the token never appears: " + field);
        }
    }
}
