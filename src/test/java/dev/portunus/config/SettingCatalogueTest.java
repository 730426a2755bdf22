package dev.portunus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.cli.Commands;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One declaration per operator setting (issue 9): README's table, {@code serve}'s flags and the
 * beans' configuration mapping are all held to the {@link Setting} catalogue, so a setting cannot be
 * added, renamed or re-defaulted in one place only.
 */
class SettingCatalogueTest {

    @Test
    void readmesTableListsExactlyTheCatalogueWithItsVariablesFlagsAndDefaults() throws Exception {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("| `") && line.split("\\|").length >= 5) {
                String[] cells = line.split("\\|");
                String key = cells[1].strip().replace("`", "");
                if (key.matches("[a-z0-9_]+") && cells[2].contains("PORTUNUS_")) {
                    rows.put(key, cells);
                }
            }
        }
        Set<String> catalogue = new TreeSet<>();
        for (Setting s : Setting.values()) {
            catalogue.add(s.key());
            String[] row = rows.get(s.key());
            assertNotNull(row, "README's settings table has no row for " + s.key());
            assertTrue(row[2].contains("`" + s.env() + "`"), s.key() + ": environment " + s.env());
            assertTrue(s.flag() == null ? !row[3].contains("--") : row[3].contains("`" + s.flag() + "`"), s.key() + ": flag");
            if (s.defaultValue() != null) {
                assertTrue(row[4].contains(s.defaultValue()), s.key() + ": default " + s.defaultValue());
            }
        }
        assertEquals(catalogue, new TreeSet<>(rows.keySet()), "README lists a setting the catalogue does not have");
    }

    @Test
    void serveOffersAFlagForEverySettingThatHasOneAndNoOther() {
        CommandLine serve = Commands.commandLine().getSubcommands().get("serve");
        for (Setting s : Setting.values()) {
            if (s.flag() != null) {
                assertNotNull(serve.getCommandSpec().findOption(s.flag()), s.flag());
            }
        }
        long settingFlags = serve.getCommandSpec().options().stream()
                .filter(o -> Setting.byKey(o.longestName().replaceFirst("^--", "").replace('-', '_')) != null).count();
        assertEquals(java.util.Arrays.stream(Setting.values()).filter(s -> s.flag() != null).count(), settingFlags);
    }

    @Test
    void theBeansReadEverySettingThroughTheMapping() {
        Set<String> accessors = new TreeSet<>();
        for (Method m : PortunusConfig.Settings.class.getDeclaredMethods()) {
            accessors.add(m.getName());
        }
        Set<String> expected = new TreeSet<>();
        for (Setting s : Setting.values()) {
            expected.add(camel(s.key()));
        }
        assertEquals(expected, accessors, "PortunusConfig.Settings has one accessor per Setting, named after its key");
    }

    private static String camel(String key) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }
}
