package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.files.ProcessIdentity;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Locale;
import org.sqlite.SQLiteException;

/**
 * Says why a data-dir or a store file cannot be used, by cause, before SQLite gets a chance to
 * report it as something else. A root-owned {@code state.db} must never be called "corrupt": that
 * hint ({@code restore --force}) would replace a healthy store. Every refusal names the path, the
 * user that needs access and a fix that loses nothing (exit 78, EX_CONFIG: the deployment is wrong,
 * not the data).
 *
 * <p>Causes and their events:
 * <ul>
 * <li>{@code startup.store_permission_denied}: the file or directory belongs to another user and
 * this process may not read or write it — fix with {@code chown};</li>
 * <li>{@code startup.store_not_writable}: this user owns it but it is not writable (mode), or the
 * filesystem is mounted read-only — fix with {@code chmod} or a read-write mount;</li>
 * <li>{@code startup.data_dir_unusable}: anything else the filesystem refuses (no space, I/O error).</li>
 * </ul>
 */
public final class StoreAccess {

    /** What a SQLite failure means for the operator; only {@link #CORRUPT} justifies "restore". */
    public enum SqliteCause { BUSY, READ_ONLY, CANNOT_OPEN, CORRUPT, NOT_A_DATABASE, FULL, IO_ERROR, OTHER }

    private StoreAccess() {
    }

    /**
     * Checks that this process may read, write and enter {@code files.dataDir()} and read and write
     * every store file that exists there ({@code state.db}, {@code -wal}, {@code -shm}, {@code .lock}).
     * Throws the {@link Refusal} of the first problem found (exit 78).
     */
    public static void requireReadWrite(StoreFiles files) {
        Path dir = files.dataDir();
        if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isWritable(dir) && Files.isExecutable(dir))) {
            throw denied(dir, "read, write and enter");
        }
        for (Path p : files.storeFiles()) {
            if (Files.exists(p) && !(Files.isReadable(p) && Files.isWritable(p))) {
                throw denied(p, Files.isReadable(p) ? "write" : "read and write");
            }
        }
    }

    /**
     * Checks that this process can read {@code file}, an artefact named on the command line; refuses
     * with exit 1 {@code cli.artefact_unreadable} (the artefact may well be fine).
     */
    public static void requireReadableArtefact(Path file) {
        if (Files.exists(file) && !Files.isReadable(file)) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_UNREADABLE).with("path", file)
                    .with("owner", ownerOf(file)).with("mode", modeOf(file)).with("process", ProcessIdentity.owner())
                    .hint("this user cannot read it: run the command as the file's owner, or make it readable "
                            + "(chown " + ProcessIdentity.owner() + " " + file + "); the artefact itself may be fine"));
        }
    }

    /**
     * The refusal for an access this process was denied on {@code path}: ownership (another user owns
     * it), mode (this user owns it without the bit) or a read-only filesystem.
     */
    public static Refusal denied(Path path, String need) {
        String owner = ownerOf(path);
        String mode = modeOf(path);
        String me = ProcessIdentity.owner();
        if (readOnlyFilesystem(path)) {
            return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_STORE_NOT_WRITABLE).with("path", path)
                    .with("need", need).with("reason", "the filesystem is mounted read-only")
                    .hint("mount " + dataDirOf(path) + " read-write (in a container, drop ':ro' from the volume); "
                            + "nothing was changed"));
        }
        if (!owner.equals(me) && ProcessIdentity.uid() != 0) {
            return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_STORE_PERMISSION_DENIED).with("path", path)
                    .with("need", need).with("owner", owner).with("mode", mode).with("process", me)
                    .hint("the data-dir and its store files must belong to the user portunus-server runs as: "
                            + "chown " + me + " " + path + " (or chown -R " + me + " " + dataDirOf(path)
                            + "); the store itself is fine, do not restore over it"));
        }
        return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_STORE_NOT_WRITABLE).with("path", path)
                .with("need", need).with("owner", owner).with("mode", mode).with("process", me)
                .hint("give the owner access: chmod " + (Files.isDirectory(path) ? "700 " : "600 ") + path
                        + "; nothing was changed"));
    }

    /**
     * An I/O failure on the data-dir or a store file, by cause: access and read-only problems as
     * {@link #denied}, anything else (no space, I/O error) as {@code startup.data_dir_unusable}; exit 78.
     */
    public static Refusal storeFailure(Path path, IOException e) {
        if (e instanceof AccessDeniedException || readOnly(e)) {
            return denied(path, "write");
        }
        return new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_DATA_DIR_UNUSABLE).with("path", path)
                .with("reason", reason(e))
                .hint(noSpace(e) ? "free space on the filesystem of " + path + " and retry; nothing was changed"
                        : "point --data-dir (or PORTUNUS_DATA_DIR) at a writable local directory owned by this user"), e);
    }

    /**
     * An I/O failure on something named on the command line (a destination, an artefact): the
     * command's own event and exit code, with the cause in {@code reason} and a fix for that cause,
     * followed by {@code outcome} (what state things were left in).
     */
    public static Refusal ioFailure(Path path, IOException e, EventName event, int exit, String outcome) {
        String fix;
        if (e instanceof AccessDeniedException) {
            fix = "this user (" + ProcessIdentity.owner() + ") may not write there: choose another path or fix its owner";
        } else if (readOnly(e)) {
            fix = "that filesystem is mounted read-only: choose a writable path";
        } else if (noSpace(e)) {
            fix = "free space on the filesystem of " + path + " and retry";
        } else {
            fix = "check that " + path + " is reachable, writable and has free space, then retry";
        }
        return new Refusal(exit, Event.of(event).with("path", path).with("reason", reason(e)).hint(fix + "; " + outcome), e);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (readOnly(e)) {
            return "read-only file system";
        }
        if (noSpace(e)) {
            return "no space left on device";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Classifies a SQLite failure by its primary result code. */
    public static SqliteCause cause(SQLException e) {
        int code = e instanceof SQLiteException s ? s.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        String msg = String.valueOf(e.getMessage());
        return switch (code) {
            case 5, 6 -> SqliteCause.BUSY;
            case 8 -> SqliteCause.READ_ONLY;
            case 3, 14 -> SqliteCause.CANNOT_OPEN;
            case 11 -> SqliteCause.CORRUPT;
            case 26 -> SqliteCause.NOT_A_DATABASE;
            case 13 -> SqliteCause.FULL;
            case 10 -> SqliteCause.IO_ERROR;
            default -> msg.contains("SQLITE_BUSY") ? SqliteCause.BUSY : SqliteCause.OTHER;
        };
    }

    static boolean readOnly(IOException e) {
        return e instanceof FileSystemException f && String.valueOf(f.getReason()).toLowerCase(Locale.ROOT).contains("read-only");
    }

    static boolean noSpace(IOException e) {
        String text = (e instanceof FileSystemException f ? f.getReason() : e.getMessage()) + "";
        return text.toLowerCase(Locale.ROOT).contains("no space left");
    }

    /**
     * True when writing {@code path} fails with EROFS. Java's FileStore reports the options of the
     * mount it finds by device number, which for a bind mount remounted read-only is the read-write
     * original; an actual write attempt (a probe file, or opening for write) cannot be fooled.
     */
    private static boolean readOnlyFilesystem(Path path) {
        try {
            if (Files.isDirectory(path)) {
                Files.delete(Files.createTempFile(path, ".portunus-ro-probe", ".tmp"));
            } else {
                java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE).close();
            }
            return false;
        } catch (IOException e) {
            return readOnly(e);
        }
    }

    private static String ownerOf(Path path) {
        try {
            return Files.getAttribute(path, "unix:uid") + ":" + Files.getAttribute(path, "unix:gid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "?";
        }
    }

    private static String modeOf(Path path) {
        try {
            String rwx = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
            int bits = 0;
            for (int i = 0; i < 9; i++) {
                bits = (bits << 1) | (rwx.charAt(i) == '-' ? 0 : 1);
            }
            return String.format("%04o", bits);
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static Path dataDirOf(Path path) {
        return Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
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
            requireReadWrite(new StoreFiles(dir));
            Path probe = Files.createTempFile(dir, ".portunus-write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw storeFailure(Files.exists(dir) ? dir : nearestExisting(dir), e);
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
