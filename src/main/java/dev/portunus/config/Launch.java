package dev.portunus.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the launcher decided before Quarkus boots: the {@link Mode}, the data-dir, the {@code serve}
 * flags given and the effective, already validated value of every {@link Setting}. Set once, read
 * only by {@link LaunchSource}: from there on, beans see all of it through {@link PortunusConfig}.
 */
public record Launch(Mode mode, Path dataDir, Map<Setting, String> flags, Map<Setting, String> effective) {

    private static volatile Launch current;

    /** Records this process's launch; a second call is a programming error. */
    public static synchronized void set(Launch launch) {
        if (current != null) {
            throw new IllegalStateException("the launch is decided once");
        }
        current = launch;
    }

    /** This process's launch, or null in tests and at build time (no launcher ran). */
    public static Launch current() {
        return current;
    }
}
