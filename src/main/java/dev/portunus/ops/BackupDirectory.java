package dev.portunus.ops;

import dev.portunus.files.FileOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The artefacts of a backup directory as the product names them (07-scheduled-backups.md §2, §4):
 * {@code portunus-state-<UTC stamp>[-N].db} with its {@code .sha256}. Listing, lookup by name and
 * pruning see only such names; every other file (an operator's own, a {@code .sha256} on its own)
 * is never listed, served or touched.
 */
public final class BackupDirectory {

    /**
     * Exactly the names {@link BackupService} gives: the suffix starts at 2, has no leading zero and
     * fits an int, so a foreign look-alike ({@code -0}, {@code -007}, twelve digits) is never listed,
     * pruned or parsed into an overflow.
     */
    private static final Pattern NAME = Pattern.compile("portunus-state-(\\d{8}T\\d{6}Z)(?:-([2-9]|[1-9]\\d{1,8}))?\\.db");
    /** Temporary files of {@link BackupService}: {@code .<artefact>.tmp-<pid>[-journal|.sha256]}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.portunus-state-.*\\.db\\.tmp-(\\d{1,18})(?:-journal|\\.sha256)?");

    /**
     * One published artefact: its name, size in bytes, hex SHA-256 from its sidecar, and the UTC time in
     * its name (when the snapshot was started, second precision).
     */
    public record Artefact(String name, Path path, long bytes, String sha256, Instant createdAt) {
    }

    private record Named(Path path, String stamp, int n) {
    }

    private BackupDirectory() {
    }

    /** The UTC time in an artefact's name (second precision); empty for other names. */
    public static Optional<Instant> createdAt(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? Optional.of(BackupService.STAMP.parse(m.group(1), Instant::from)) : Optional.empty();
    }

    /** The stamp artefact names carry, {@code yyyyMMdd'T'HHmmss'Z'} in UTC, for other products of a backup (snapshots). */
    public static String stamp(Instant at) {
        return BackupService.STAMP.format(at);
    }

    /** True for a name the product gives artefacts (no path, no sidecar suffix). */
    public static boolean isArtefactName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * The artefacts in {@code dir}, newest first; only product names with a readable {@code .sha256}
     * (an artefact is published before its sidecar, so one without it is not finished). Empty when
     * {@code dir} does not exist.
     */
    public static List<Artefact> list(Path dir) throws IOException {
        List<Artefact> out = new ArrayList<>();
        for (Named n : named(dir)) {
            Optional<String> sha = sidecarHash(n.path());
            if (sha.isEmpty()) {
                continue;
            }
            try {
                out.add(new Artefact(n.path().getFileName().toString(), n.path(), Files.size(n.path()), sha.get(),
                        BackupService.STAMP.parse(n.stamp(), Instant::from)));
            } catch (NoSuchFileException gone) {
                // pruned or removed between the listing and now
            }
        }
        return out;
    }

    /** The listed artefact called {@code name}; empty for any other name (paths, sidecars, foreign files). */
    public static Optional<Artefact> find(Path dir, String name) throws IOException {
        if (name == null || !isArtefactName(name)) {
            return Optional.empty();
        }
        return list(dir).stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * Keeps the newest {@code keep} product artefacts in {@code dir} and removes the older ones with
     * their {@code .sha256}; {@code protect} (the artefact just published) is never removed. Returns
     * the names removed, oldest last.
     */
    public static List<String> prune(Path dir, int keep, Path protect) throws IOException {
        List<String> removed = new ArrayList<>();
        List<Named> all = named(dir);
        for (int i = Math.max(keep, 1); i < all.size(); i++) {
            Path p = all.get(i).path();
            if (protect != null && p.equals(protect.toAbsolutePath().normalize())) {
                continue;
            }
            Files.deleteIfExists(p);
            Files.deleteIfExists(Sha256.sidecarOf(p));
            removed.add(p.getFileName().toString());
        }
        return removed;
    }

    /**
     * Removes temporary files that a backup process which no longer runs left in {@code dir} (a
     * {@code kill -9} mid-copy); files of live processes (a {@code backup} command) stay.
     */
    public static List<Path> removeStaleTemporaries(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = TEMPORARY.matcher(p.getFileName().toString());
                if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    FileOps.deleteQuietly(p);
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    /**
     * The highest suffix among the names in {@code dir} (any kind of entry) that carry {@code stamp}:
     * 1 for the unsuffixed name, 0 when there is none. {@link BackupService} names past it.
     */
    static int highestSuffix(Path dir, String stamp) {
        int highest = 0;
        String[] names = dir.toFile().list();
        for (String name : names == null ? new String[0] : names) {
            Matcher m = NAME.matcher(name);
            if (m.matches() && m.group(1).equals(stamp)) {
                highest = Math.max(highest, m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
            }
        }
        return highest;
    }

    /** Product-named {@code .db} files, newest first (by the stamp, then the {@code -N} suffix). */
    private static List<Named> named(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Named> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.toAbsolutePath().normalize())) {
            for (Path p : s.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    out.add(new Named(p, m.group(1), m.group(2) == null ? 1 : Integer.parseInt(m.group(2))));
                }
            }
        }
        out.sort(Comparator.comparing(Named::stamp).thenComparingInt(Named::n).reversed());
        return out;
    }

    private static Optional<String> sidecarHash(Path artefact) {
        try {
            return Optional.ofNullable(Sha256.parseSumFile(Files.readString(Sha256.sidecarOf(artefact), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
