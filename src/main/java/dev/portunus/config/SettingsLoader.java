package dev.portunus.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds {@link ServerSettings} from its four layers. A malformed {@code server.toml}, an unknown
 * key or a bad value is refused with {@code startup.config_invalid} (exit 78): a typo in an
 * operator's file must never be silently ignored.
 */
public final class SettingsLoader {

    public static final String FILE_NAME = "server.toml";

    private static final List<String> KEYS = List.of(
            "operator_http_listen", "client_listen", "operator_token", "advertised_endpoint", "log_format");

    private SettingsLoader() {
    }

    /**
     * @param flags command-line overrides keyed like the TOML keys (only the ones given)
     */
    public static ServerSettings load(Path dataDir, Map<String, String> env, Map<String, String> flags) {
        Path file = dataDir.resolve(FILE_NAME);
        ServerSettings s = ServerSettings.defaults();
        String text = null;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            // Optional file.
        } catch (IOException e) {
            throw invalid(file, 0, "", "cannot read: " + e.getMessage());
        }
        if (text != null) {
            s = applyToml(s, file, text);
        }
        for (String key : KEYS) {
            String value = env.get("PORTUNUS_" + key.toUpperCase());
            if (value != null && !value.isEmpty()) {
                s = apply(s, key, value, "environment PORTUNUS_" + key.toUpperCase(), file, 0);
            }
        }
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            s = apply(s, flag.getKey(), flag.getValue(), "flag --" + flag.getKey().replace('_', '-'), file, 0);
        }
        return s;
    }

    private static ServerSettings applyToml(ServerSettings s, Path file, String text) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw invalid(file, loc == null ? 0 : loc.getLineNr(), "", e.getOriginalMessage());
        }
        if (root == null) {
            return s;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            int line = lineOf(text, key);
            if (!KEYS.contains(key)) {
                throw invalid(file, line, key, "unknown key; known keys are " + String.join(", ", KEYS));
            }
            if (!entry.getValue().isTextual()) {
                throw invalid(file, line, key, "value must be a quoted string");
            }
            s = apply(s, key, entry.getValue().asText(), "server.toml", file, line);
        }
        return s;
    }

    private static ServerSettings apply(ServerSettings s, String key, String value, String source, Path file, int line) {
        try {
            return switch (key) {
                case "operator_http_listen" -> new ServerSettings(HostPort.parse(value), s.clientListen(),
                        s.operatorToken(), s.advertisedEndpoint(), s.logFormat());
                case "client_listen" -> new ServerSettings(s.operatorHttpListen(), HostPort.parse(value),
                        s.operatorToken(), s.advertisedEndpoint(), s.logFormat());
                case "operator_token" -> {
                    if (value.length() < 16) {
                        throw new IllegalArgumentException("operator token must be at least 16 characters "
                                + "(generate one with 'portunus-server gen-token')");
                    }
                    yield new ServerSettings(s.operatorHttpListen(), s.clientListen(), Optional.of(value),
                            s.advertisedEndpoint(), s.logFormat());
                }
                case "advertised_endpoint" -> new ServerSettings(s.operatorHttpListen(), s.clientListen(),
                        s.operatorToken(), Optional.of(HostPort.parse(value).toString()), s.logFormat());
                case "log_format" -> new ServerSettings(s.operatorHttpListen(), s.clientListen(),
                        s.operatorToken(), s.advertisedEndpoint(), parseFormat(value));
                default -> throw new IllegalArgumentException("unknown key");
            };
        } catch (IllegalArgumentException e) {
            throw invalid(file, line, key, "bad value from " + source + ": " + e.getMessage());
        }
    }

    private static ServerSettings.LogFormat parseFormat(String value) {
        return switch (value) {
            case "text" -> ServerSettings.LogFormat.TEXT;
            case "json" -> ServerSettings.LogFormat.JSON;
            default -> throw new IllegalArgumentException("log_format must be \"text\" or \"json\"");
        };
    }

    private static int lineOf(String text, String key) {
        Pattern p = Pattern.compile("^\\s*\"?" + Pattern.quote(key) + "\"?\\s*=");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Refusal invalid(Path file, int line, String key, String reason) {
        return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_CONFIG_INVALID)
                .with("path", file).with("line", line).with("key", key).with("reason", reason)
                .hint("fix or remove " + file + " (keys: " + String.join(", ", KEYS) + ")"));
    }
}
