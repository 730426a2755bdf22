import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Removes the JAR signatures of the fast-jar's dependency jars (run by {@code mvn package}, before the
 * class-data-sharing archive is trained): {@code java deploy/lib/UnsignJars.java <lib dir>}.
 *
 * <p>Why: the JDK verifies a signed jar when the first class is read from it — a digest of its whole
 * manifest, an RSA signature check, then a SHA-256 of every class it loads. BouncyCastle's jars are
 * signed, and {@code serve} spent about a tenth of its boot there (JFR, issue 10). The jars come from
 * the build's verified dependency resolution and are then part of an image nobody else writes, so the
 * run-time check adds nothing; Quarkus itself unsigns dependencies in some packagings for the same reason.
 *
 * <p>What: for every {@code *.jar} directly in the directory that carries signature files, a copy
 * without {@code META-INF/*.SF|RSA|DSA|EC} and {@code META-INF/SIG-*}, whose manifest keeps its main
 * attributes but not the per-entry digests, replaces it atomically, with the original's permissions
 * (the image runs as a non-root user). Entry times are kept. Unsigned
 * jars are left untouched; a second run changes nothing. Exit 1 with the reason on any I/O error.
 */
public final class UnsignJars {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/([^/]+\\.(SF|RSA|DSA|EC)|SIG-[^/]+)", Pattern.CASE_INSENSITIVE);

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java UnsignJars.java <directory of jars>");
            System.exit(2);
        }
        int changed = 0;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "[!.]*.jar")) {
            for (Path jar : jars) {
                if (unsign(jar)) {
                    System.out.println("unsigned " + jar.getFileName());
                    changed++;
                }
            }
        } catch (IOException e) {
            System.err.println("UnsignJars: " + e);
            System.exit(1);
        }
        System.out.println(changed + " jar(s) unsigned in " + args[0]);
    }

    private static boolean unsign(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            if (in.stream().noneMatch(e -> SIGNATURE.matcher(e.getName()).matches())) {
                return false;
            }
            Manifest original = in.getManifest();
            if (original != null) {
                manifest.getMainAttributes().putAll(original.getMainAttributes());
            } else {
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            }
        }
        rewrite(jar, manifest, (name, data) -> SIGNATURE.matcher(name).matches() ? null : data);
        return true;
    }

    /** What a rewrite does to one entry: the bytes to write under its name, or null to leave it out. */
    @FunctionalInterface
    public interface EntryRewrite {
        byte[] apply(String name, byte[] data) throws IOException;
    }

    /**
     * Replaces {@code jar} atomically by a copy with {@code manifest} and every other entry passed
     * through {@code rewrite}, in the original order with the original times and the jar's
     * permissions. Also used by UpgradeOldClasses.java (same directory).
     */
    public static void rewrite(Path jar, Manifest manifest, EntryRewrite rewrite) throws IOException {
        // Not named *.jar, and hidden: a copy left by a killed run is never taken for a dependency.
        Path tmp = Files.createTempFile(jar.getParent(), ".rewrite-", ".tmp");
        try {
            try (JarFile in = new JarFile(jar.toFile(), false); OutputStream file = Files.newOutputStream(tmp);
                    JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                    String name = e.getName();
                    if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    byte[] data;
                    try (InputStream stream = in.getInputStream(e)) {
                        data = rewrite.apply(name, stream.readAllBytes());
                    }
                    if (data == null) {
                        continue;
                    }
                    JarEntry copy = new JarEntry(name);
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    out.write(data);
                    out.closeEntry();
                }
            }
            // The temporary file is created 0600; the image runs as another user, who must read the jar.
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(jar));
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
