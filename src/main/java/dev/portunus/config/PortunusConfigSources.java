package dev.portunus.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Registers the layers of the operator settings with SmallRye Config (ServiceLoader): built-in
 * defaults, {@code <data-dir>/server.toml} and the {@code PORTUNUS_*} variables. The data-dir comes
 * from the launcher (or, in tests, from the test's configuration); without one there is no file.
 */
public final class PortunusConfigSources implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(new SettingDefaultsSource());
        sources.add(new EnvironmentSource(System.getenv()));
        ConfigValue dataDir = context.getValue("portunus.data-dir");
        if (dataDir != null && dataDir.getValue() != null && !dataDir.getValue().isEmpty()) {
            sources.add(ServerTomlSource.read(Path.of(dataDir.getValue())));
        }
        return sources;
    }
}
