package dev.portunus.config;

import java.nio.file.Path;
import java.time.Duration;
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
    ADVERTISED_ENDPOINT("advertised_endpoint", null, true, Setting::advertisedEndpoint,
            "host:port that enrollment commands and bundles name (default: host name + client port); "
                    + "a runtime override (PUT /v1/settings/advertised-endpoint) wins over it."),
    LOG_FORMAT("log_format", "text", true, Setting::logFormat,
            "text, or json for one JSON object per log line."),
    BACKUP_DIR("backup_dir", null, true, Setting::absolutePath,
            "Directory for scheduled and API backups (absolute path; created 0700 when missing). Unset: no schedule."),
    BACKUP_INTERVAL("backup_interval", "24h", true, raw -> span(raw, "backup_interval", Duration.ofMinutes(1)),
            "Time between scheduled backups: 1m, 30m, 6h, 1d ...; at least 1m."),
    BACKUP_KEEP("backup_keep", "7", true, raw -> intIn(raw, "backup_keep", 1, 1000),
            "Newest verified artefacts kept in backup_dir: 1 ... 1000."),
    AUDIT_RETENTION("audit_retention", null, true, raw -> span(raw, "audit_retention", Duration.ofHours(1)),
            "Audit entries older than this are pruned at start and hourly: 90d, 12h ...; at least 1h. Unset: kept forever."),
    BACKUP_DIR_ALLOW_NETWORK("backup_dir_allow_network", "false", true, raw -> bool(raw, "backup_dir_allow_network"),
            "true allows an NFS/SMB/FUSE backup_dir (tmpfs and ramfs are always refused)."),
    TRAFFIC_RETENTION_1M_DAYS("traffic_retention_1m_days", "7", true, raw -> intIn(raw, "traffic_retention_1m_days", 1, 365),
            "Days of per-minute traffic samples kept (1-365); older minutes are dropped once rolled up into hours."),
    TRAFFIC_RETENTION_1H_DAYS("traffic_retention_1h_days", "90", true, raw -> intIn(raw, "traffic_retention_1h_days", 31, 3650),
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

    /** The grammar of {@link AdvertisedEndpoint}, the same one the runtime override is held to. */
    private static String advertisedEndpoint(String raw) {
        try {
            return AdvertisedEndpoint.parse(raw).text();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("advertised_endpoint '" + raw + "' is not a valid host:port: " + e.getMessage(), e);
        }
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

    private static String absolutePath(String raw) {
        if (raw.isBlank() || !Path.of(raw).isAbsolute()) {
            throw new IllegalArgumentException("must be an absolute path, e.g. /var/lib/portunus-backups");
        }
        return Path.of(raw).normalize().toString();
    }

    /** A span such as {@code 30m}, checked against its minimum; returned as given (see {@link #parseSpan}). */
    private static String span(String raw, String key, Duration min) {
        Duration d = parseSpan(raw);
        if (d == null) {
            throw new IllegalArgumentException(key + " must be a number followed by s, m, h or d (e.g. 30m, 6h, 1d), got \""
                    + raw + "\"");
        }
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(key + " must be at least " + min.toString().substring(2).toLowerCase(Locale.ROOT)
                    + ", got " + raw);
        }
        return raw;
    }

    /**
     * {@code <n>s|m|h|d} (07-scheduled-backups.md §1) as a duration, or null when malformed. The operator
     * settings' converter ({@link SpanConverter}) uses the same parser.
     */
    public static Duration parseSpan(String raw) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]{0,8})([smhd])").matcher(raw.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String intIn(String raw, String key, int min, int max) {
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= min && n <= max) {
                return Integer.toString(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", got \"" + raw + "\"");
    }

    private static String bool(String raw, String key) {
        return switch (raw.strip()) {
            case "true" -> "true";
            case "false" -> "false";
            default -> throw new IllegalArgumentException(key + " must be true or false, got \"" + raw + "\"");
        };
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
