package dev.portunus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** File helpers for tests: temp trees on a real local filesystem, and byte-level snapshots. */
public final class TestFiles {

    /** Every directory {@link #tempDir} made in this JVM; what is still there at exit is deleted then. */
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestFiles::deleteLeftovers, "test-files-cleanup"));
    }

    private TestFiles() {
    }

    /**
     * A fresh directory under target/test-data (a local filesystem, unlike /dev/shm). Tests delete it
     * when done; whatever a test leaves (the output files of the processes it started, a data-dir it
     * read after the process ended) is deleted when the test JVM exits: one CI run left ~250 of them.
     */
    public static Path tempDir(String prefix) {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            Path dir = Files.createTempDirectory(base, prefix);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteLeftovers() {
        for (Path dir : MADE) {
            try {
                deleteTree(dir);
            } catch (RuntimeException e) {
                // Best effort at exit: a process of the test may still be writing there.
            }
        }
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Name → SHA-256 of every regular file directly in {@code dir}: equal maps mean byte-identical. */
    public static Map<String, String> snapshot(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                if (Files.isRegularFile(p)) {
                    out.put(p.getFileName().toString(), dev.portunus.ops.Sha256.ofFile(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
