package dev.portunus.store;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the pooled datasource at {@code <portunus.data-dir>/state.db} with the store's PRAGMAs
 * (ServiceLoader). The URL is built by {@link SqliteFile#poolJdbcUrl} from the one place the PRAGMAs
 * are declared, so pooled connections and the command-mode connections can never differ (the pool
 * only leaves checkpoints to {@link WalCheckpointer}).
 */
public final class StoreConfigSource implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue dataDir = context.getValue("portunus.data-dir");
        if (dataDir == null || dataDir.getValue() == null || dataDir.getValue().isEmpty()) {
            return List.of();
        }
        String url = SqliteFile.poolJdbcUrl(new StoreFiles(Path.of(dataDir.getValue())).db());
        return List.of(new PropertiesConfigSource(Map.of("quarkus.datasource.jdbc.url", url), "store location", 250));
    }
}
