package dev.portunus.clients;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * Secrets handed out to clients (enrollment codes, client tokens): random URL-safe text, stored
 * only as the lowercase hex BLAKE3 of its UTF-8 bytes, like every other token in the store.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** {@code bytes} of entropy, base64url without padding (safe inside a URI query). */
    public static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String blake3Hex(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        Blake3Digest digest = new Blake3Digest(256);
        digest.update(in, 0, in.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
