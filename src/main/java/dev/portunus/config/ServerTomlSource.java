package dev.portunus.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code <data-dir>/server.toml} as a configuration source, ranked above the built-in defaults and
 * below environment variables (01-store.md §3a). Each key of {@link Setting} becomes its
 * {@code portunus.*} property. The file is optional; what is wrong with it (not TOML, an unknown key,
 * a value that is not a string) is collected as {@link Problem}s with their line, which the launcher
 * turns into {@code startup.config_invalid} (exit 78) before anything listens — a typo in an
 * operator's file is never silently ignored.
 */
public final class ServerTomlSource implements ConfigSource {

    public static final String FILE_NAME = "server.toml";
    public static final int ORDINAL = 260;

    /** Something wrong in the file: 1-based line (0 when unknown), the key (may be empty), why. */
    public record Problem(int line, String key, String reason) {
    }

    private final Path file;
    private final Map<String, String> properties;
    private final Map<String, Integer> lines;
    private final List<Problem> problems;

    private ServerTomlSource(Path file, Map<String, String> properties, Map<String, Integer> lines, List<Problem> problems) {
        this.file = file;
        this.properties = properties;
        this.lines = lines;
        this.problems = problems;
    }

    /** Reads {@code server.toml} from {@code dataDir}; a missing file is an empty source. */
    public static ServerTomlSource read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ServerTomlSource(file, properties, lines, problems);
        } catch (IOException e) {
            problems.add(new Problem(0, "", "cannot read: " + e.getMessage()));
            return new ServerTomlSource(file, properties, lines, problems);
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            problems.add(new Problem(loc == null ? 0 : loc.getLineNr(), "", e.getOriginalMessage()));
            return new ServerTomlSource(file, properties, lines, problems);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root == null ? Collections.emptyIterator() : root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            int line = lineOf(text, entry.getKey());
            Setting setting = Setting.byKey(entry.getKey());
            if (setting == null) {
                problems.add(new Problem(line, entry.getKey(), "unknown key; known keys are " + knownKeys()));
            } else if (!entry.getValue().isTextual() && !entry.getValue().isIntegralNumber()) {
                // Whole numbers may be written bare (traffic_retention_1m_days = 7); each setting's check decides.
                problems.add(new Problem(line, entry.getKey(), "value must be a quoted string or a whole number"));
            } else {
                properties.put(setting.property(), entry.getValue().asText());
                lines.put(setting.property(), line);
            }
        }
        return new ServerTomlSource(file, properties, lines, problems);
    }

    public Path file() {
        return file;
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** The line that set {@code setting}, 0 when the file did not. */
    public int lineOf(Setting setting) {
        return lines.getOrDefault(setting.property(), 0);
    }

    public static String knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            keys.add(s.key());
        }
        return String.join(", ", keys);
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
        return FILE_NAME + " (" + file + ")";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
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
}
