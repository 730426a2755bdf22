package dev.portunus.config;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher's check of the operator settings before {@code serve} boots: the same layers Quarkus
 * will read (defaults, {@code server.toml}, environment, flags), resolved by SmallRye Config, and
 * every effective value passed through its {@link Setting#check}. A malformed file, an unknown key or
 * a bad value from any layer is refused with {@code startup.config_invalid path=… line=… key=…}
 * (exit 78) and names where the value came from; the operator token is never printed.
 */
public final class SettingsCheck {

    private SettingsCheck() {
    }

    /**
     * @param env   the process environment
     * @param flags the {@code serve} flags given on the command line
     * @return the effective value of every setting that has one, normalised
     */
    public static Map<Setting, String> effective(Path dataDir, Map<String, String> env, Map<Setting, String> flags) {
        ServerTomlSource toml = ServerTomlSource.read(dataDir);
        for (ServerTomlSource.Problem p : toml.problems()) {
            throw invalid(toml.file(), p.line(), p.key(), p.reason());
        }
        Map<String, String> flagProperties = new LinkedHashMap<>();
        flags.forEach((s, v) -> flagProperties.put(s.property(), v));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new SettingDefaultsSource(), toml, new EnvironmentSource(env),
                        new PropertiesConfigSource(flagProperties, "serve flags", LaunchSource.ORDINAL))
                .build();
        Map<Setting, String> effective = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            ConfigValue value = config.getConfigValue(s.property());
            if (value.getValue() == null) {
                continue;
            }
            try {
                effective.put(s, s.check(value.getValue()));
            } catch (IllegalArgumentException e) {
                throw invalid(toml.file(), value.getSourceOrdinal() == ServerTomlSource.ORDINAL ? toml.lineOf(s) : 0, s.key(),
                        "bad value from " + origin(s, value) + ": " + e.getMessage());
            }
        }
        return effective;
    }

    private static String origin(Setting s, ConfigValue value) {
        return switch (value.getSourceOrdinal()) {
            case ServerTomlSource.ORDINAL -> ServerTomlSource.FILE_NAME;
            case EnvironmentSource.ORDINAL -> "environment " + s.env();
            case LaunchSource.ORDINAL -> "flag " + s.flag();
            default -> "built-in default";
        };
    }

    private static Refusal invalid(Path file, int line, String key, String reason) {
        return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_CONFIG_INVALID)
                .with("path", file).with("line", line).with("key", key).with("reason", reason)
                .hint("fix or remove " + file + " (keys: " + ServerTomlSource.knownKeys() + ")"));
    }
}
