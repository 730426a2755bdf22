package dev.portunus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.events.Refusal;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

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
        ServerSettings s = SettingsLoader.load(dir, Map.of(), Map.of());
        assertEquals("127.0.0.1:7080", s.operatorHttpListen().toString());
        assertEquals("0.0.0.0:7443", s.clientListen().toString());
        assertEquals(Optional.empty(), s.operatorToken());
        assertEquals(ServerSettings.LogFormat.TEXT, s.logFormat());
    }

    @Test
    void tomlOverridesDefaultsEnvironmentOverridesTomlFlagsOverrideEnvironment() throws Exception {
        Files.writeString(dir.resolve("server.toml"), "operator_http_listen = \"0.0.0.0:1\"\nclient_listen = \"[::1]:2\"\n"
                + "log_format = \"json\"\n");
        ServerSettings toml = SettingsLoader.load(dir, Map.of(), Map.of());
        assertEquals("0.0.0.0:1", toml.operatorHttpListen().toString());
        assertEquals("::1", toml.clientListen().host());
        assertEquals(ServerSettings.LogFormat.JSON, toml.logFormat());
        ServerSettings env = SettingsLoader.load(dir, Map.of("PORTUNUS_OPERATOR_HTTP_LISTEN", "127.0.0.1:3",
                "PORTUNUS_LOG_FORMAT", ""), Map.of());
        assertEquals("127.0.0.1:3", env.operatorHttpListen().toString());
        assertEquals(ServerSettings.LogFormat.JSON, env.logFormat(), "an empty variable does not override");
        ServerSettings flag = SettingsLoader.load(dir, Map.of("PORTUNUS_OPERATOR_HTTP_LISTEN", "127.0.0.1:3"),
                Map.of("operator_http_listen", "127.0.0.1:4"));
        assertEquals("127.0.0.1:4", flag.operatorHttpListen().toString());
    }

    @Test
    void badValuesAreRefusedNamingKeyAndLineAndTheTokenNeverAppears() throws Exception {
        Files.writeString(dir.resolve("server.toml"), "\noperator_token = \"short\"\n");
        Refusal r = assertThrows(Refusal.class, () -> SettingsLoader.load(dir, Map.of(), Map.of()));
        assertEquals(78, r.exitCode());
        assertEquals("operator_token", r.event().field("key"));
        assertEquals(2, r.event().field("line"));
        Files.writeString(dir.resolve("server.toml"), "log_format = 5\n");
        assertEquals("log_format", assertThrows(Refusal.class, () -> SettingsLoader.load(dir, Map.of(), Map.of()))
                .event().field("key"));
        Files.writeString(dir.resolve("server.toml"), "operator_token = \"a-long-enough-secret-token\"\n");
        assertTrue(!SettingsLoader.load(dir, Map.of(), Map.of()).toString().contains("a-long-enough-secret-token"));
    }
}
