package dev.portunus.store;

import dev.portunus.events.Event;
import dev.portunus.events.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The resolved data-dir of this process. The launcher resolves it before Quarkus boots (it needs
 * it for the datasource URL) and hands it over as {@code portunus.data-dir}.
 */
@ApplicationScoped
public class DataDir {

    @ConfigProperty(name = "portunus.data-dir")
    Optional<String> configured;

    public Path path() {
        return configured.filter(s -> !s.isEmpty()).map(s -> Path.of(s).toAbsolutePath().normalize())
                .orElseGet(() -> DataDirResolver.resolve(null, System.getenv()));
    }

    public StoreFiles files() {
        return new StoreFiles(path());
    }

    /**
     * Creates the data-dir (mode 0700) when missing and checks that it is a writable directory;
     * refuses with {@code startup.data_dir_unusable} (exit 78) otherwise.
     */
    public static void ensureUsable(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(dir)) {
                throw unusable(dir, "exists but is not a directory");
            }
            Path probe = Files.createTempFile(dir, ".portunus-write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw unusable(dir, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Refusal unusable(Path dir, String reason) {
        return new Refusal(Refusal.CONFIG, Event.of("startup.data_dir_unusable")
                .with("path", dir).with("reason", reason)
                .hint("point --data-dir (or PORTUNUS_DATA_DIR) at a writable local directory owned by this user"));
    }
}
