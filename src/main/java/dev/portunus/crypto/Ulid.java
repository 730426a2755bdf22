package dev.portunus.crypto;

import java.security.SecureRandom;

/**
 * ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, 80 random bits) for stable
 * ids that sort by creation time. Small enough to write here rather than pull in a library.
 */
public final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulid() {
    }

    public static String next() {
        return of(System.currentTimeMillis(), RANDOM);
    }

    /**
     * A new ULID whose time part is {@code millis} (ms since the epoch, 0 .. 2^48-1) instead of now:
     * for ids of records created in the past that must still sort by their creation time.
     */
    public static String at(long millis) {
        return of(millis, RANDOM);
    }

    static String of(long millis, SecureRandom random) {
        byte[] rnd = new byte[10];
        random.nextBytes(rnd);
        char[] out = new char[26];
        long time = millis & 0xFFFF_FFFF_FFFFL;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits = 16 base32 characters, taken 5 bits at a time from the big-endian bytes.
        for (int i = 0; i < 16; i++) {
            int bit = i * 5;
            int value = 0;
            for (int b = 0; b < 5; b++) {
                int pos = bit + b;
                value = (value << 1) | ((rnd[pos / 8] >> (7 - pos % 8)) & 1);
            }
            out[10 + i] = ALPHABET[value];
        }
        return new String(out);
    }

    public static boolean looksLikeUlid(String text) {
        return text != null && text.matches("[0-9A-HJKMNP-TV-Z]{26}");
    }
}
