package dev.portunus.config;

import io.smallrye.config.common.MapBackedConfigSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** The built-in defaults of {@link Setting}, the lowest layer (01-store.md §3a). */
public final class SettingDefaultsSource extends MapBackedConfigSource {

    public static final int ORDINAL = 100;

    public SettingDefaultsSource() {
        super("built-in defaults", defaults(), ORDINAL);
    }

    private static Map<String, String> defaults() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) {
                properties.put(s.property(), s.defaultValue());
            }
        }
        return properties;
    }
}
