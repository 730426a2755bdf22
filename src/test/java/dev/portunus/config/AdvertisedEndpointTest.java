package dev.portunus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.events.Refusal;
import dev.portunus.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The advertised-endpoint grammar (06-traffic.md §3), shared by the config seed and the runtime override. */
class AdvertisedEndpointTest {

    @Test
    void validEndpointsParseIntoHostPortAndKind() {
        assertEquals(new AdvertisedEndpoint.Parsed("edge.example.net", 7443, AdvertisedEndpoint.HostKind.NAME, "edge.example.net:7443"),
                AdvertisedEndpoint.parse("edge.example.net:7443"));
        assertEquals(AdvertisedEndpoint.HostKind.NAME, AdvertisedEndpoint.parse("x:1").kind());
        assertEquals(AdvertisedEndpoint.HostKind.NAME, AdvertisedEndpoint.parse("1a.example:65535").kind());
        assertEquals(AdvertisedEndpoint.HostKind.NAME, AdvertisedEndpoint.parse("a-b.C-d:80").kind());
        assertEquals(new AdvertisedEndpoint.Parsed("203.0.113.7", 7443, AdvertisedEndpoint.HostKind.IPV4, "203.0.113.7:7443"),
                AdvertisedEndpoint.parse("203.0.113.7:7443"));
        assertEquals(new AdvertisedEndpoint.Parsed("2001:db8::1", 7443, AdvertisedEndpoint.HostKind.IPV6, "[2001:db8::1]:7443"),
                AdvertisedEndpoint.parse("[2001:db8::1]:7443"));
        assertEquals(AdvertisedEndpoint.HostKind.IPV6, AdvertisedEndpoint.parse("[::ffff:192.0.2.1]:1").kind());
        String longest = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)) + ":65535";
        assertEquals(253 + 6, longest.length());
        assertEquals(65535, AdvertisedEndpoint.parse(longest).port());
    }

    @Test
    void everyRuleOfTheGrammarRefusesWithAReason() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("https://x:1", "URL"), Map.entry("x", "no port"), Map.entry("x:", "port is missing"),
                Map.entry("x:0", "between 1 and 65535"), Map.entry("x:070", "leading zero"), Map.entry("x:65536", "between 1 and 65535"),
                Map.entry("x:+1", "without sign"), Map.entry("x:-1", "without sign"), Map.entry("x:99999999999", "between 1 and 65535"),
                Map.entry("a b:1", "whitespace"), Map.entry("x:1\n", "whitespace"), Map.entry("x\u0001:1", "control"),
                Map.entry("user@x:1", "userinfo"), Map.entry("x:1/path", "path"), Map.entry("x:1?q", "query"),
                Map.entry("x:1#f", "fragment"), Map.entry(":7443", "host is empty"), Map.entry("-x:1", "hyphen"),
                Map.entry("x-.y:1", "hyphen"), Map.entry("x..y:1", "1 to 63"), Map.entry("x.:1", "1 to 63"),
                Map.entry("under_score:1", "letters, digits"), Map.entry("1234:1", "all-numeric"), Map.entry("1.2.3:1", "all-numeric"),
                Map.entry("256.1.1.1:1", "IPv4"), Map.entry("01.2.3.4:1", "leading zeros"), Map.entry("2001:db8::1:7443", "brackets"),
                Map.entry("[2001:db8::1:7443", "']'"), Map.entry("[2001:db8::1]7443", "host:port"), Map.entry("[zz::1]:1", "IPv6"),
                Map.entry("[fe80::1%eth0]:1", "IPv6"), Map.entry("[]:1", "IPv6"), Map.entry("[1.2.3.4]:1", "IPv6"),
                Map.entry("a".repeat(64) + ":1", "1 to 63"), Map.entry(String.join(".", List.of("a".repeat(63), "b".repeat(63),
                        "c".repeat(63), "d".repeat(63))) + ":1", "253"),
                Map.entry("x".repeat(260) + ":7443", "263"));
        refused.forEach((value, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdvertisedEndpoint.parse(value), value);
            assertTrue(e.getMessage().contains(reason), value + " → " + e.getMessage());
        });
    }

    @Test
    void ipLiteralsResolveWithoutLookingUpNames() {
        assertEquals("127.0.0.1", AdvertisedEndpoint.address("127.0.0.1").getHostAddress());
        assertEquals(16, AdvertisedEndpoint.address("::1").getAddress().length);
        assertEquals(null, AdvertisedEndpoint.address("beef"), "hex letters without ':' could be a name: not an address");
        assertEquals(null, AdvertisedEndpoint.address("localhost"));
    }

    /** The seed in server.toml is held to the same grammar: a bad one stops serve with 78 naming the key. */
    @Test
    void theConfigSeedUsesTheSameGrammar() throws Exception {
        assertEquals("[::1]:7443", Setting.ADVERTISED_ENDPOINT.check("[::1]:7443"));
        Path dir = TestFiles.tempDir("seed-");
        try {
            for (String bad : List.of("https://edge:7443", "edge", "edge:070", " edge:7443")) {
                Files.writeString(dir.resolve("server.toml"), "advertised_endpoint = \"" + bad + "\"\n");
                Refusal r = assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of(), Map.of()), bad);
                assertEquals(78, r.exitCode());
                assertEquals("advertised_endpoint", r.event().field("key"));
            }
            Files.writeString(dir.resolve("server.toml"), "advertised_endpoint = \"edge.example.net:7443\"\n");
            assertEquals("edge.example.net:7443", SettingsCheck.effective(dir, Map.of(), Map.of()).get(Setting.ADVERTISED_ENDPOINT));
            Refusal env = assertThrows(Refusal.class, () -> SettingsCheck.effective(dir, Map.of("PORTUNUS_ADVERTISED_ENDPOINT", "x:0"),
                    Map.of()));
            assertEquals("advertised_endpoint", env.event().field("key"));
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
