package dev.portunus.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The {@code PORTUNUS_*} variables of {@link Setting}, ranked above {@code server.toml} and below the
 * {@code serve} flags. Empty variables are skipped as if unset (01-store.md §1 says so for the
 * data-dir; settings follow the same rule), so that {@code PORTUNUS_LOG_FORMAT=} in a container
 * spec does not hide the value from {@code server.toml}.
 */
public final class EnvironmentSource implements ConfigSource {

    public static final int ORDINAL = 300;

    private final Map<String, String> properties = new LinkedHashMap<>();

    public EnvironmentSource(Map<String, String> env) {
        for (Setting s : Setting.values()) {
            String value = env.get(s.env());
            if (value != null && !value.isEmpty()) {
                properties.put(s.property(), value);
            }
        }
    }

    /** The variable that set {@code property}, for messages. */
    static String variableOf(String property) {
        Setting s = Setting.byProperty(property);
        return s == null ? property : s.env();
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "environment";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
