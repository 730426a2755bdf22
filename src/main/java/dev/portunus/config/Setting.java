package dev.portunus.config;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The operator settings, one declaration each (01-store.md §3a): the {@code server.toml} key, the
 * environment variable and {@code serve} flag derived from it, the built-in default, the check
 * every value passes and the help text. The launcher builds {@code serve}'s flags and {@code --help}
 * from this list, {@link ServerTomlSource} accepts exactly these keys, {@link PortunusConfig} reads
 * them under {@code portunus.*}, and a test holds README's table to it.
 *
 * <p>Layering is SmallRye Config's: defaults (ordinal {@value SettingDefaultsSource#ORDINAL}) &lt;
 * {@code server.toml} ({@value ServerTomlSource#ORDINAL}) &lt; environment (300) &lt; {@code serve}
 * flags ({@value LaunchSource#ORDINAL}). An empty environment variable is skipped, as for the
 * data-dir (see {@link EnvironmentSource}).
 */
public enum Setting {

    OPERATOR_HTTP_LISTEN("operator_http_listen", "127.0.0.1:7080", true, Setting::hostPort,
            "Operator HTTP API address, host:port."),
    CLIENT_LISTEN("client_listen", "0.0.0.0:7443", true, Setting::hostPort,
            "Client TLS listener address, host:port."),
    OPERATOR_TOKEN("operator_token", null, false, Setting::operatorToken,
            "Static operator token (acts as superadmin _operator), at least 16 characters; never on a command line."),
    ADVERTISED_ENDPOINT("advertised_endpoint", null, true, Setting::hostPort,
            "host:port that enrollment commands and bundles name (default: host name + client port)."),
    LOG_FORMAT("log_format", "text", true, Setting::logFormat,
            "text, or json for one JSON object per log line."),
    TRAFFIC_RETENTION_1M_DAYS("traffic_retention_1m_days", "7", true, raw -> days(raw, "traffic_retention_1m_days", 1, 365),
            "Days of per-minute traffic samples kept (1-365); older minutes are dropped once rolled up into hours."),
    TRAFFIC_RETENTION_1H_DAYS("traffic_retention_1h_days", "90", true, raw -> days(raw, "traffic_retention_1h_days", 31, 3650),
            "Days of hourly traffic samples kept (31-3650; at least a month, so that a quota period is always complete).");

    private final String key;
    private final String defaultValue;
    private final boolean flag;
    private final UnaryOperator<String> check;
    private final String description;

    Setting(String key, String defaultValue, boolean flag, UnaryOperator<String> check, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.flag = flag;
        this.check = check;
        this.description = description;
    }

    /** The {@code server.toml} key, e.g. {@code client_listen}. */
    public String key() {
        return key;
    }

    /** The environment variable, e.g. {@code PORTUNUS_CLIENT_LISTEN}. */
    public String env() {
        return "PORTUNUS_" + key.toUpperCase(Locale.ROOT);
    }

    /**
     * The configuration property beans read, e.g. {@code portunus.settings.client-listen}. Deliberately
     * not {@code portunus.client-listen}: SmallRye's own environment source would map
     * {@code PORTUNUS_CLIENT_LISTEN} onto that name, and it lets an empty variable hide the value from
     * {@code server.toml}; {@link EnvironmentSource} reads the variables instead and skips empty ones.
     */
    public String property() {
        return PREFIX + key.replace('_', '-');
    }

    /** Where the operator settings live in the configuration. */
    public static final String PREFIX = "portunus.settings.";

    /** The {@code serve} flag, e.g. {@code --client-listen}, or null when the setting has none. */
    public String flag() {
        return flag ? "--" + key.replace('_', '-') : null;
    }

    /** The built-in default as text, or null when unset by default. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** True for settings whose value must never be printed. */
    public boolean secret() {
        return this == OPERATOR_TOKEN;
    }

    /**
     * Checks a raw value and returns it normalised; throws {@link IllegalArgumentException} with a
     * message for a person when it is not acceptable.
     */
    public String check(String raw) {
        return check.apply(raw);
    }

    /** The setting with this {@code server.toml} key, or null. */
    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** The setting read under this property name, or null. */
    public static Setting byProperty(String property) {
        for (Setting s : values()) {
            if (s.property().equals(property)) {
                return s;
            }
        }
        return null;
    }

    private static String hostPort(String raw) {
        return HostPort.parse(raw).toString();
    }

    /** A whole number of days in {@code [min, max]}, written without sign or leading zeros. */
    private static String days(String raw, String key, int min, int max) {
        if (!raw.matches("[1-9][0-9]{0,3}") || Integer.parseInt(raw) < min || Integer.parseInt(raw) > max) {
            throw new IllegalArgumentException(key + " must be a whole number of days from " + min + " to " + max);
        }
        return raw;
    }

    private static String operatorToken(String raw) {
        if (raw.length() < 16) {
            throw new IllegalArgumentException("operator token must be at least 16 characters "
                    + "(generate one with 'portunus-server gen-token')");
        }
        return raw;
    }

    private static String logFormat(String raw) {
        return LogFormat.parse(raw).name().toLowerCase(Locale.ROOT);
    }

    /** The values of {@link #LOG_FORMAT}. */
    public enum LogFormat {
        TEXT, JSON;

        static LogFormat parse(String raw) {
            return switch (raw) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("log_format must be \"text\" or \"json\"");
            };
        }
    }
}
