package dev.portunus.ops.legacy;

import dev.portunus.crypto.Secrets;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The fixtures under src/test/resources/legacy and the planner run on them. */
final class Fixtures {

    private Fixtures() {
    }

    /** A fixture directory or file on the test class path. */
    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/legacy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImportPlan plan(Path dir) {
        try {
            return new LegacyImportPlanner().plan(LegacyFiles.in(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImportPlan plan(String fixture) {
        return plan(resource(fixture));
    }

    /** A directory holding {@code bytes} under {@code legacyName} and nothing else. */
    static Path dirWith(String legacyName, byte[] bytes) {
        Path dir = TestFiles.tempDir("legacy-");
        try {
            Files.write(dir.resolve(legacyName), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static Path dirWith(String legacyName, String json) {
        return dirWith(legacyName, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A directory holding the given files (null: that file is absent). */
    static Path dirWith(String tokens, String identity, String rules) {
        Path dir = TestFiles.tempDir("legacy-");
        String[] contents = {tokens, identity, rules};
        try {
            for (LegacyFile f : LegacyFile.values()) {
                if (contents[f.ordinal()] != null) {
                    Files.writeString(dir.resolve(f.fileName()), contents[f.ordinal()]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * The token hashes of the edge set and the generated fixtures: SHA-256 hex of {@code <set>:<name>} (any 64 hex
     * digits would do; the importer carries them verbatim).
     */
    static String hash(String set, String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((set + ":" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The plaintext token of a record of the valid sets: what the legacy server would have handed out,
     * 43 characters of URL-safe base64 without padding (05-legacy.md §2), here derived from
     * {@code <set>:<name>} (SHA-256) so that tests can present it to a real server.
     */
    static String token(String set, String name) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest((set + ":" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored hash of {@link #token}: plain BLAKE3-256 hex of its UTF-8 text, as the legacy server stored it (§0.4). */
    static String tokenHash(String set, String name) {
        return Secrets.blake3Hex(token(set, name));
    }

    /** The report lines as text, for comparing whole reports. */
    static List<String> lines(List<ReportEvent> report) {
        return report.stream().map(ReportEvent::toString).toList();
    }
}
