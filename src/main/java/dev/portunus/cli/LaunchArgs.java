package dev.portunus.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few things the launcher must know before Quarkus boots: which command runs (only
 * {@code serve} opens listeners and migrates), the {@code --data-dir} flag (it names the
 * datasource) and {@code serve}'s config flags. Picocli parses the full command line afterwards.
 */
record LaunchArgs(String command, String dataDirFlag, Map<String, String> settingFlags) {

    /** {@code serve} flags that override server.toml and the environment, by TOML key. */
    static final Map<String, String> SETTING_FLAGS = Map.of(
            "--operator-http-listen", "operator_http_listen",
            "--client-listen", "client_listen",
            "--advertised-endpoint", "advertised_endpoint",
            "--log-format", "log_format");

    private static final Set<String> VALUE_OPTIONS = Set.of("--data-dir");

    static LaunchArgs parse(String... args) {
        String command = null;
        String dataDir = null;
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if ("--".equals(arg)) {
                break;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=") && arg.startsWith("--");
            if (VALUE_OPTIONS.contains(name) || SETTING_FLAGS.containsKey(name)) {
                String value = inline ? arg.substring(arg.indexOf('=') + 1) : (i + 1 < list.size() ? list.get(++i) : null);
                if ("--data-dir".equals(name)) {
                    dataDir = value;
                } else if (value != null) {
                    flags.put(SETTING_FLAGS.get(name), value);
                }
            } else if (command == null && !arg.startsWith("-")) {
                command = arg;
            }
        }
        return new LaunchArgs(command, dataDir, flags);
    }

    boolean isServe() {
        return "serve".equals(command);
    }
}
