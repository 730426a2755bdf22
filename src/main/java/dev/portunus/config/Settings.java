package dev.portunus.config;

import dev.portunus.store.DataDir;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The effective {@link ServerSettings} for beans. {@code serve}'s launcher loads and validates them
 * before boot (a bad server.toml must stop the process before it listens) and hands them over;
 * elsewhere (tests, command mode) they are loaded from the data-dir on first use.
 */
@ApplicationScoped
public class Settings {

    private static volatile ServerSettings launched;

    @Inject
    DataDir dataDir;

    private volatile ServerSettings loaded;

    /** Called by the launcher once, before Quarkus boots. */
    public static void handOver(ServerSettings settings) {
        launched = settings;
    }

    public ServerSettings get() {
        if (launched != null) {
            return launched;
        }
        if (loaded == null) {
            loaded = SettingsLoader.load(dataDir.path(), System.getenv(), Map.of());
        }
        return loaded;
    }
}
