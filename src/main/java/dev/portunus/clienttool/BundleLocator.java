package dev.portunus.clienttool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the bundle lives (04-client.md): an explicit {@code --bundle} wins and is never
 * substituted; otherwise the first existing readable file of $PORTUNUS_CLIENT_BUNDLE,
 * $XDG_CONFIG_HOME/portunus/client.bundle.json, $HOME/.config/portunus/client.bundle.json,
 * ./client.bundle.json. Unset or empty variables are skipped, and said so.
 */
public final class BundleLocator {

    public static final String FILE = "client.bundle.json";

    /** One place in the search order: a path, or why it was skipped. */
    public record Candidate(String source, Path path, String skipped) {

        String describe() {
            return path != null ? path.toString() : source + ": skipped (" + skipped + ")";
        }
    }

    private final Map<String, String> env;
    private final Path cwd;

    public BundleLocator(Map<String, String> env, Path cwd) {
        this.env = env;
        this.cwd = cwd;
    }

    public List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        out.add(fromEnv("PORTUNUS_CLIENT_BUNDLE", ""));
        out.add(fromEnv("XDG_CONFIG_HOME", "portunus/" + FILE));
        out.add(fromEnv("HOME", ".config/portunus/" + FILE));
        out.add(new Candidate("./" + FILE, cwd.resolve(FILE).toAbsolutePath().normalize(), null));
        return out;
    }

    /** The bundle to read: the explicit path if given (must exist), else the first existing readable candidate. */
    public Path locate(Optional<Path> explicit) {
        if (explicit.isPresent()) {
            Path p = explicit.get();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new ClientFailure("bundle " + p + " (given with --bundle) does not exist or is not readable; "
                        + "no other location is tried when --bundle is given");
            }
            return p;
        }
        List<Candidate> tried = candidates();
        for (Candidate c : tried) {
            if (c.path() != null && Files.isRegularFile(c.path()) && Files.isReadable(c.path())) {
                return c.path();
            }
        }
        StringBuilder msg = new StringBuilder("no client bundle found; tried, in order:");
        for (Candidate c : tried) {
            msg.append('\n').append(c.describe());
        }
        msg.append("\nenroll first ('portunus-client enroll <uri>') or pass --bundle <path>");
        throw new ClientFailure(msg.toString());
    }

    /** Where {@code enroll} writes without --bundle: the first candidate whose directory exists or can be created. */
    public Path target() {
        List<Candidate> tried = candidates();
        StringBuilder reasons = new StringBuilder();
        for (Candidate c : tried) {
            if (c.path() == null) {
                reasons.append('\n').append(c.describe());
                continue;
            }
            Path dir = c.path().getParent();
            try {
                if (!Files.isDirectory(dir)) {
                    dev.portunus.files.FileOps.createPrivateDirectories(dir);
                }
                if (Files.isWritable(dir)) {
                    return c.path();
                }
                reasons.append('\n').append(c.path()).append(": directory not writable");
            } catch (java.io.IOException | UnsupportedOperationException e) {
                reasons.append('\n').append(c.path()).append(": ").append(e.getMessage());
            }
        }
        throw new ClientFailure("no location for the bundle could be created; tried, in order:" + reasons
                + "\npass --bundle <path>");
    }

    private Candidate fromEnv(String variable, String suffix) {
        String value = env.get(variable);
        String source = "$" + variable;
        if (value == null) {
            return new Candidate(source, null, "unset");
        }
        if (value.isEmpty()) {
            return new Candidate(source, null, "empty");
        }
        Path base = cwd.resolve(value);
        return new Candidate(source, (suffix.isEmpty() ? base : base.resolve(suffix)).toAbsolutePath().normalize(), null);
    }
}
