package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.rules.RuleValidator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The value rules of §2–§6 one by one. */
class LegacyValuesTest {

    @ParameterizedTest
    @CsvSource({
        "2026-05-07T16:20:03.771002981Z, 2026-05-07T16:20:03.771Z",
        "2026-05-07T16:20:03.771999Z,    2026-05-07T16:20:03.771Z",
        "2026-05-07T16:20:03.7Z,         2026-05-07T16:20:03.700Z",
        "2026-05-07T16:20:03Z,           2026-05-07T16:20:03.000Z",
        "2026-05-07t16:20:03z,           2026-05-07T16:20:03.000Z",
        "2026-05-07T16:20:03.999999999+02:00, 2026-05-07T14:20:03.999Z",
        "2026-01-01T00:30:00-01:00,      2026-01-01T01:30:00.000Z",
        "2024-02-29T23:59:59.9999Z,      2024-02-29T23:59:59.999Z",
        "0001-01-01T00:00:00Z,           0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999Z",
    })
    void rfc3339TimestampsBecomeOurFixedFormTruncatedToTheMillisecond(String given, String stored) {
        assertEquals(stored, LegacyValues.format(LegacyValues.timestamp(given)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2025-02-29T00:00:00Z", "2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-06-30T23:59:60Z",
        "2025-01-01T24:00:00Z", "2025-01-01 00:00:00Z", "2025-01-01T00:00:00 UTC", "2025-01-01T00:00:00UTC",
        "2025-01-01T00:00:00+0100", "2025-01-01T00:00:00+01", "2025-01-01T00:00:00", "2025-1-1T00:00:00Z",
        "2025-01-01T00:00:00.1234567891Z", "2025-01-01T00:00:00.Z", "0001-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01", "2025-01-01T00:00:00+19:00", "yesterday", "", "２０２５-01-01T00:00:00Z"})
    void anythingButRfc3339OrAnImpossibleTimeIsAnInvalidTimestamp(String given) {
        SkipRecord s = assertThrows(SkipRecord.class, () -> LegacyValues.timestamp(given));
        assertEquals(SkipReason.INVALID_TIMESTAMP, s.reason);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1,           10.0.0.1",
        "Example.COM,        example.com",
        "example.com.,       example.com",
        "[2001:DB8::1],      2001:db8::1",
        "2001:db8::1,        2001:db8::1",
        "a-b.c-d.example,    a-b.c-d.example",
        "xn--bcher-kva.example, xn--bcher-kva.example",
    })
    void hostsAreNormalisedTheWayOurApiStoresThem(String given, String stored) {
        assertEquals(stored, LegacyValues.normalizeHost(given));
        assertTrue(RuleValidator.isHost(stored), "the API accepts what the importer stores");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "bad_host.example", "example.com..", "host.123", "1.2.3.4.5", "010.0.0.1", "256.0.0.1", "[example.com]",
        "[10.0.0.1]", "[2001:db8::1", "[]", "[::ffff:10.0.0.1]", "-a.example", "a-.example", "exa mple.com", "bücher.example", ".", "",
        "[2001:db8::1].", "a..b"})
    void hostsOurApiRefusesAreInvalid(String given) {
        // [::ffff:10.0.0.1]: the API refuses IPv4-mapped literals (InetAddress makes them Inet4Address), so must we.
        assertNull(LegacyValues.normalizeHost(given));
    }

    @Test
    void clientNamesFollowTheLegacyRule() {
        for (String ok : List.of("a", "0", "edge-1", "a".repeat(63), "a-b-c")) {
            assertTrue(LegacyValues.isClientName(ok), ok);
        }
        for (String bad : List.of("", "-a", "a-", "a--b", "A", "a_b", "a.b", "a".repeat(64), "é")) {
            assertFalse(LegacyValues.isClientName(bad), bad);
        }
    }

    @Test
    void ulidsAreCrockfordWithATimeThatFits128Bits() {
        assertTrue(LegacyValues.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertTrue(LegacyValues.isUlid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertFalse(LegacyValues.isUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertFalse(LegacyValues.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FA"));
        assertFalse(LegacyValues.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAI"));
        assertFalse(LegacyValues.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAU"));
    }

    @Test
    void denseRankKeepsOrderAndTies() {
        assertArrayEquals(new int[] {1, 0, 1}, LegacyValues.denseRank(List.of(100L, 5L, 100L)));
        assertArrayEquals(new int[] {2, 0, 1, 2}, LegacyValues.denseRank(List.of(4_294_967_295L, 0L, 200L, 4_294_967_295L)));
        assertArrayEquals(new int[] {0, 0}, LegacyValues.denseRank(List.of(7L, 7L)));
    }

    @Test
    void theHashRuleTakesExactly64HexDigitsOfEitherCase() {
        assertTrue(LegacyValues.isHash("ab".repeat(32)));
        assertTrue(LegacyValues.isHash("AB".repeat(32)));
        assertFalse(LegacyValues.isHash("ab".repeat(31)));
        assertFalse(LegacyValues.isHash("ab".repeat(33)));
        assertFalse(LegacyValues.isHash("g" + "a".repeat(63)));
    }
}
