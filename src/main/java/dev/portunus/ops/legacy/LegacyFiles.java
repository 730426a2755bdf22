package dev.portunus.ops.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The input of one import: the path of each legacy file, null when that file is absent, and the
 * leftover temp files found next to them (05-legacy.md §1: a crash during a legacy write leaves
 * {@code <name>.tmp.<pid>.<random>}; such files are reported with {@code leftover_temp_file} and
 * never read).
 */
public record LegacyFiles(Path tokens, Path identity, Path rules, List<Path> leftoverTempFiles) {

    public LegacyFiles {
        leftoverTempFiles = List.copyOf(leftoverTempFiles);
    }

    /**
     * The files named {@code tokens.json}, {@code identity.json} and {@code rules.json} in
     * {@code dir} that exist as regular files, and the leftover temp files of those names there
     * (sorted by name).
     *
     * @throws IOException when {@code dir} cannot be listed
     */
    public static LegacyFiles in(Path dir) throws IOException {
        Path[] found = new Path[LegacyFile.values().length];
        for (LegacyFile f : LegacyFile.values()) {
            Path p = dir.resolve(f.fileName());
            found[f.ordinal()] = Files.isRegularFile(p) ? p : null;
        }
        List<Path> temps = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(LegacyFiles::isTempFile).sorted().forEach(temps::add);
        }
        return new LegacyFiles(found[0], found[1], found[2], temps);
    }

    /** Replaces the {@code tokens.json} path ({@code --tokens}); leftover temp files are left as they are. */
    public LegacyFiles withTokens(Path path) {
        return new LegacyFiles(path, identity, rules, leftoverTempFiles);
    }

    /** Replaces the {@code identity.json} path ({@code --identity}). */
    public LegacyFiles withIdentity(Path path) {
        return new LegacyFiles(tokens, path, rules, leftoverTempFiles);
    }

    /** Replaces the {@code rules.json} path ({@code --rules}). */
    public LegacyFiles withRules(Path path) {
        return new LegacyFiles(tokens, identity, path, leftoverTempFiles);
    }

    /** The path of {@code file}, or null when it is absent. */
    public Path path(LegacyFile file) {
        return switch (file) {
            case TOKENS -> tokens;
            case IDENTITY -> identity;
            case RULES -> rules;
        };
    }

    static boolean isTempFile(Path p) {
        String name = p.getFileName().toString();
        for (LegacyFile f : LegacyFile.values()) {
            if (name.startsWith(f.fileName() + ".tmp.")) {
                return true;
            }
        }
        return false;
    }
}
