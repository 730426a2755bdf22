package dev.portunus.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file moves: fsync the data, publish under the final name, fsync the directory. */
public final class FileOps {

    private FileOps() {
    }

    public static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Publishes {@code tmp} as {@code target} only if {@code target} does not exist yet, atomically:
     * a hard link fails when the name is taken, unlike rename, which would replace it.
     */
    public static void publishNoReplace(Path tmp, Path target) throws IOException {
        fsync(tmp);
        try {
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // No hard links here (some network or FUSE filesystems): check, then rename.
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        fsync(target.toAbsolutePath().getParent());
    }

    /** Replaces {@code target} by {@code tmp} in one rename. */
    public static void publishReplacing(Path tmp, Path target) throws IOException {
        fsync(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsync(target.toAbsolutePath().getParent());
    }

    /** Removes files that may or may not exist, ignoring failures: for hidden temporary names only. */
    public static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A leftover hidden temporary file is never mistaken for the store or an artefact.
            }
        }
    }
}
