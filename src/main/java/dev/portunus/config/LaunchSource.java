package dev.portunus.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The launcher's decisions as the highest configuration source: {@code portunus.data-dir}, the
 * {@code serve} flags (above environment and {@code server.toml}), and the Quarkus properties that
 * follow from the effective settings — the operator listener's host and port, and JSON console
 * logging for {@code log_format = "json"}. Empty in tests and at build time.
 */
public final class LaunchSource implements ConfigSource {

    public static final int ORDINAL = 500;

    private final Map<String, String> properties = new LinkedHashMap<>();

    public LaunchSource() {
        Launch launch = Launch.current();
        if (launch == null) {
            return;
        }
        if (launch.dataDir() != null) {
            properties.put("portunus.data-dir", launch.dataDir().toString());
        }
        launch.flags().forEach((setting, value) -> properties.put(setting.property(), value));
        String listen = launch.effective().get(Setting.OPERATOR_HTTP_LISTEN);
        if (listen != null) {
            HostPort operator = HostPort.parse(listen);
            properties.put("quarkus.http.host", operator.host());
            properties.put("quarkus.http.port", Integer.toString(operator.port()));
        }
        properties.put("quarkus.log.console.json.enabled",
                Boolean.toString("json".equals(launch.effective().get(Setting.LOG_FORMAT))));
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
        return "serve flags and launcher";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
