package dev.portunus.config;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the data-dir, first hit wins (01-store.md §1): the {@code --data-dir} flag,
 * {@code PORTUNUS_DATA_DIR}, {@code STATE_DIRECTORY}, {@code XDG_STATE_HOME/portunus},
 * {@code HOME/.local/state/portunus}. Empty values are skipped as if unset.
 */
public final class DataDirResolver {

    private DataDirResolver() {
    }

    public static Path resolve(String flag, Map<String, String> env) {
        if (present(flag)) {
            return absolute(flag);
        }
        if (present(env.get("PORTUNUS_DATA_DIR"))) {
            return absolute(env.get("PORTUNUS_DATA_DIR"));
        }
        String systemd = env.get("STATE_DIRECTORY");
        if (present(systemd)) {
            // systemd may pass several colon-separated directories; the first is ours.
            return absolute(systemd.split(":")[0]);
        }
        if (present(env.get("XDG_STATE_HOME"))) {
            return absolute(env.get("XDG_STATE_HOME")).resolve("portunus");
        }
        if (present(env.get("HOME"))) {
            return absolute(env.get("HOME")).resolve(".local/state/portunus");
        }
        throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_DATA_DIR_UNUSABLE)
                .with("path", "")
                .with("reason", "no data-dir configured and HOME is unset")
                .hint("pass --data-dir <path> or set PORTUNUS_DATA_DIR"));
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    private static Path absolute(String value) {
        return Path.of(value).toAbsolutePath().normalize();
    }
}
