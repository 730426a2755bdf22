package dev.portunus.store;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * Creates the data-dir (mode 0700, missing parents too) when missing and checks that it is a
     * directory this process may write; refuses by cause otherwise (exit 78): permission or ownership
     * ({@code startup.store_permission_denied}), read-only ({@code startup.store_not_writable}), or
     * {@code startup.data_dir_unusable} (not a directory, no space, I/O error).
     */
    public static void ensureUsable(Path dir) {
        try {
            if (!Files.exists(dir)) {
                FileOps.createPrivateDirectories(dir);
            }
            if (!Files.isDirectory(dir)) {
                throw unusable(dir, "exists but is not a directory");
            }
            StoreAccess.requireReadWrite(new StoreFiles(dir));
            Path probe = Files.createTempFile(dir, ".portunus-write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw StoreAccess.storeFailure(Files.exists(dir) ? dir : nearestExisting(dir), e);
        }
    }

    private static Path nearestExisting(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p.getParent() != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static Refusal unusable(Path dir, String reason) {
        return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_DATA_DIR_UNUSABLE)
                .with("path", dir).with("reason", reason)
                .hint("point --data-dir (or PORTUNUS_DATA_DIR) at a writable local directory owned by this user"));
    }
}
