package dev.portunus.config;

import io.smallrye.config.common.MapBackedConfigSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher's decisions as the highest configuration source: {@code portunus.data-dir}, the
 * {@code serve} flags (above environment and {@code server.toml}), and the Quarkus properties that
 * follow from the effective settings — the operator listener's host and port, and JSON console
 * logging for {@code log_format = "json"}. Empty in tests and at build time.
 */
public final class LaunchSource extends MapBackedConfigSource {

    public static final int ORDINAL = 500;

    public LaunchSource() {
        super("serve flags and launcher", properties(Launch.current()), ORDINAL);
    }

    private static Map<String, String> properties(Launch launch) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (launch == null) {
            return properties;
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
        return properties;
    }
}
