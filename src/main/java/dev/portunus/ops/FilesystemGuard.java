package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * SQLite's locking and WAL need a local filesystem with working POSIX locks and shared memory;
 * network and RAM filesystems either corrupt the store or lose it on reboot, so they are refused.
 */
public final class FilesystemGuard {

    private static final Set<String> REFUSED = Set.of(
            "nfs", "nfs4", "cifs", "smb", "smb2", "smbfs", "smb3", "tmpfs", "ramfs", "ceph", "9p", "virtiofs",
            "fuse", "fuseblk", "afs", "glusterfs", "lustre", "gpfs", "davfs");

    private FilesystemGuard() {
    }

    /** Type of the filesystem that holds {@code path}, from the mount table. */
    public static String typeOf(Path path) throws IOException {
        return storeOf(path).type().toLowerCase(Locale.ROOT);
    }

    /** The filesystem holding {@code path}, or its nearest existing ancestor (a data-dir may not exist yet). */
    private static FileStore storeOf(Path path) throws IOException {
        Path probe = path.toAbsolutePath();
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        if (probe == null) {
            throw new IOException("no existing ancestor of " + path);
        }
        return Files.getFileStore(probe);
    }

    public static boolean refused(String fsType) {
        return REFUSED.contains(fsType) || fsType.startsWith("fuse.") || fsType.startsWith("nfs")
                || fsType.startsWith("smb");
    }

    /** Refuses with exit 78 when the data-dir lives on a filesystem the store cannot trust. */
    public static void requireLocal(Path dataDir) {
        String type;
        try {
            type = typeOf(dataDir);
        } catch (IOException e) {
            throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_DATA_DIR_UNUSABLE)
                    .with("path", dataDir).with("reason", e.getMessage())
                    .hint("point --data-dir at a local writable directory"));
        }
        if (refused(type)) {
            throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_UNSUPPORTED_FILESYSTEM)
                    .with("path", dataDir).with("fs", type)
                    .hint("point --data-dir at a local writable filesystem (ext4, xfs, btrfs, zfs); "
                            + "network, RAM and FUSE filesystems break SQLite locking or lose data"));
        }
    }

    /**
     * True when the data-dir sits on the container's own overlay root with no volume mounted
     * there: everything written would vanish with the container.
     */
    public static boolean isEphemeralOverlay(Path dataDir) {
        try {
            FileStore store = storeOf(dataDir);
            return "overlay".equals(store.type().toLowerCase(Locale.ROOT))
                    && store.equals(Files.getFileStore(Path.of("/")));
        } catch (IOException e) {
            return false;
        }
    }
}
