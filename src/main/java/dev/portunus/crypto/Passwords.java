package dev.portunus.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}, unpadded base64).
 * Verification reads the parameters from the stored string, so they can be raised later without
 * invalidating existing hashes. Slow by design: call only from worker threads, never the event loop.
 */
public final class Passwords {

    /** 19 MiB, 4 passes, 1 lane (above the OWASP argon2id baseline of 2 passes): ≈ 55 ms per hash on this machine. */
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 4;
    static final int LANES = 1;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 1024;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** Verified against when the user does not exist, so that both answers take as long. */
    private static volatile String dummy;

    private Passwords() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        Secrets.random().nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(out);
    }

    /** False for a wrong password, a null/unparseable hash, or a null password. */
    public static boolean verify(String password, String phc) {
        if (password == null) {
            return false;
        }
        if (phc == null) {
            burn(password);
            return false;
        }
        try {
            String[] parts = phc.split("\\$");
            // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
            if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
                return false;
            }
            int m = 0, t = 0, p = 0;
            for (String kv : parts[3].split(",")) {
                int v = Integer.parseInt(kv.substring(2));
                switch (kv.charAt(0)) {
                    case 'm' -> m = v;
                    case 't' -> t = v;
                    case 'p' -> p = v;
                    default -> {
                        return false;
                    }
                }
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            byte[] actual = derive(password, salt, m, t, p, expected.length);
            return MessageDigest.isEqual(expected, actual);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Spends the same time as a real verification (unknown user, no password set). */
    public static void burn(String password) {
        if (dummy == null) {
            dummy = hash("portunus-dummy-password");
        }
        verify(password == null ? "" : password, dummy);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(lanes).build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
