package dev.portunus.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * Tokens and their stored form. Bearer credentials, session ids and the setup token are random
 * URL-safe strings shown once; the store only ever sees the lowercase hex BLAKE3 of their UTF-8 text.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    public static String newToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** A short random identifier with a readable prefix, e.g. {@code cr_3f9a…} (80 bits). */
    public static String newId(String prefix) {
        byte[] raw = new byte[10];
        RANDOM.nextBytes(raw);
        return prefix + "_" + HexFormat.of().formatHex(raw);
    }

    public static String blake3Hex(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        Blake3Digest d = new Blake3Digest(256);
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    public static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    static SecureRandom random() {
        return RANDOM;
    }
}
