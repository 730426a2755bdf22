package dev.portunus.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class UlidTest {

    @Test
    void ulidsAreCrockfordBase32AndSortByTime() {
        String a = Ulid.of(1_700_000_000_000L, new SecureRandom());
        String b = Ulid.of(1_700_000_000_001L, new SecureRandom());
        assertTrue(Ulid.looksLikeUlid(a), a);
        assertTrue(a.compareTo(b) < 0, a + " < " + b);
        assertEquals("00000000000000000000000000".length(), a.length());
        // The time part of the ULID spec's own example: 01ARYZ6S41 = 1469918176385 ms.
        assertEquals("01ARYZ6S41", Ulid.of(1_469_918_176_385L, new SecureRandom()).substring(0, 10));
        assertNotEquals(Ulid.next(), Ulid.next());
    }
}
