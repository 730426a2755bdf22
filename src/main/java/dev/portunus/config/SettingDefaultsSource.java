package dev.portunus.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** The built-in defaults of {@link Setting}, the lowest layer (01-store.md §3a). */
public final class SettingDefaultsSource implements ConfigSource {

    public static final int ORDINAL = 100;

    private final Map<String, String> properties = new LinkedHashMap<>();

    public SettingDefaultsSource() {
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) {
                properties.put(s.property(), s.defaultValue());
            }
        }
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
        return "built-in defaults";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
