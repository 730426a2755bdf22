package dev.portunus.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The file operations every command shares: durable publishing (fsync the data, rename or link into
 * place, fsync the directory) and creating files and directories with their mode set explicitly.
 *
 * <p>Modes never depend on the umask or on an input's mode: everything the product creates is
 * {@link #PRIVATE_FILE} (0600) or {@link #PRIVATE_DIR} (0700), set with chmod after creation
 * (creation modes are only masked by the umask, so a permissive umask could not widen them, but a
 * copy or rename could carry an artefact's 0444 along). When the process runs as root inside a
 * directory owned by someone else (a {@code kubectl exec} or {@code docker exec} as root into a
 * volume owned by the service user), new files are handed to that directory's owner, as SQLite does
 * for its own sidecars, so that the service can still open them afterwards.
 */
public final class FileOps {

    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private FileOps() {
    }

    public static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Creates {@code dir} and every missing parent, each with mode 0700 (existing directories are left
     * as they are). Returns {@code dir}.
     */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException raced) {
                continue; // someone else made it meanwhile; its mode is theirs
            }
            Files.setPosixFilePermissions(p, PRIVATE_DIR);
            adoptParentOwner(p);
        }
        return dir;
    }

    /** Creates a new, empty file with mode 0600 (fails if it exists). */
    public static Path createPrivateFile(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        makePrivate(file);
        return file;
    }

    /** Sets mode 0600 (and, as root, the parent directory's owner) on a file this process made. */
    public static void makePrivate(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PRIVATE_FILE);
        adoptParentOwner(file);
    }

    /** Writes {@code bytes} to a new 0600 file. */
    public static void writePrivate(Path file, byte[] bytes) throws IOException {
        createPrivateFile(file);
        Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * As root, gives {@code path} to the owner of its directory when that is another user; otherwise
     * does nothing. A root-owned store file in the service user's volume would lock the service out.
     */
    static void adoptParentOwner(Path path) throws IOException {
        if (!ProcessIdentity.isRoot()) {
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        Object uid = Files.getAttribute(parent, "unix:uid");
        Object gid = Files.getAttribute(parent, "unix:gid");
        if (!Integer.valueOf(0).equals(uid)) {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", gid);
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
