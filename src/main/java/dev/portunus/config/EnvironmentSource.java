package dev.portunus.config;

import io.smallrye.config.common.MapBackedConfigSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code PORTUNUS_*} variables of {@link Setting}, ranked above {@code server.toml} and below the
 * {@code serve} flags. Empty variables are skipped as if unset (01-store.md §1 says so for the
 * data-dir; settings follow the same rule), so that {@code PORTUNUS_LOG_FORMAT=} in a container
 * spec does not hide the value from {@code server.toml}.
 */
public final class EnvironmentSource extends MapBackedConfigSource {

    public static final int ORDINAL = 300;

    public EnvironmentSource(Map<String, String> env) {
        super("environment", properties(env), ORDINAL);
    }

    private static Map<String, String> properties(Map<String, String> env) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            String value = env.get(s.env());
            if (value != null && !value.isEmpty()) {
                properties.put(s.property(), value);
            }
        }
        return properties;
    }
}
