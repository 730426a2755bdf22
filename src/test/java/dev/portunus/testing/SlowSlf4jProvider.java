package dev.portunus.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.impl.JBossSlf4jServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The real SLF4J binding (JBoss LogManager's) behind an initialisation that takes
 * {@link #DELAY_MILLIS} longer: a process started with it ({@code -Dslf4j.provider=}, on the class
 * path as a {@code -javaagent} jar, see {@link #agentJar}) holds SLF4J in its initialising state long
 * enough that any second thread asking for a logger then surely does, and gets SLF4J's substitute
 * logger with its warning on stderr. Test code only.
 */
public final class SlowSlf4jProvider implements SLF4JServiceProvider {

    /** How much longer SLF4J's initialisation takes with this provider, in milliseconds. */
    public static final long DELAY_MILLIS = 1_500;

    /**
     * System property naming a file to which {@link #initialize} writes the name of the thread that
     * initialised SLF4J: proof that this provider was used, and by whom. Not under {@code portunus.}:
     * Quarkus refuses a system property there that maps to no setting.
     */
    public static final String MARKER_PROPERTY = "slow-slf4j.marker";

    private final SLF4JServiceProvider real = new JBossSlf4jServiceProvider();

    /** The agent entry point: nothing to do, the jar is only a way onto the class path. */
    public static void premain(String args) {
    }

    /**
     * A {@code -javaagent} jar in {@code dir} holding this class: the JVM appends it to the
     * application class path, where SLF4J looks for the provider its property names.
     */
    public static Path agentJar(Path dir) throws IOException {
        Path jar = dir.resolve("slow-slf4j.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", SlowSlf4jProvider.class.getName());
        String entry = SlowSlf4jProvider.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream in = SlowSlf4jProvider.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return real.getLoggerFactory();
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return real.getMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return real.getMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion() {
        return real.getRequestedApiVersion();
    }

    @Override
    public void initialize() {
        try {
            String marker = System.getProperty(MARKER_PROPERTY);
            if (marker != null) {
                Files.writeString(Path.of(marker), Thread.currentThread().getName());
            }
            Thread.sleep(DELAY_MILLIS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        real.initialize();
    }
}
