package dev.portunus.testing;

import java.nio.file.Path;
import java.time.Duration;

/** Real stores for tests, made the way an operator makes them: by running the built jar. */
public final class Stores {

    private Stores() {
    }

    /** A data-dir holding a fresh, fully migrated store: one {@code serve} started and stopped cleanly. */
    public static Path migrated(Path dataDir) {
        try (CliRun.Serving s = CliRun.create().serve(dataDir)) {
            CliRun.Result stopped = s.process().terminate(Duration.ofSeconds(30));
            if (stopped.exitCode() != 0) {
                throw new AssertionError("serve did not stop cleanly: " + stopped);
            }
        }
        return dataDir;
    }

    /** {@code backup --out out} of {@code dataDir}; fails the test unless it exits 0. */
    public static Path backup(Path dataDir, Path out) {
        CliRun.Result r = CliRun.create().run("backup", "--data-dir", dataDir.toString(), "--out", out.toString());
        if (r.exitCode() != 0) {
            throw new AssertionError("backup failed: " + r);
        }
        return Path.of(r.stdout().strip());
    }
}
