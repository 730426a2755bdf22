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
     * The checks of {@code backup_dir} (07-scheduled-backups.md §1): tmpfs and ramfs are always refused (a
     * backup there dies with the node), network and FUSE filesystems unless {@code allowNetwork}
     * (backups need no POSIX locks), and a directory on the data-dir's own filesystem is warned about
     * with {@code startup.backup_dir_same_filesystem}. Throws {@link Refusal} (78).
     */
    public static void requireBackupDir(Path backupDir, boolean allowNetwork, Path dataDir) {
        String type;
        FileStore store;
        try {
            store = storeOf(backupDir);
            type = store.type().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_BACKUP_DIR_UNUSABLE)
                    .with("path", backupDir).with("reason", e.getMessage())
                    .hint("point backup_dir at a writable directory on a persistent filesystem"));
        }
        boolean ram = "tmpfs".equals(type) || "ramfs".equals(type);
        if (ram || (refused(type) && !allowNetwork)) {
            throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_UNSUPPORTED_FILESYSTEM)
                    .with("path", backupDir).with("fs", type)
                    .hint(ram ? "a backup in RAM dies with the node: point backup_dir at a persistent filesystem"
                            : "a network or FUSE backup_dir needs backup_dir_allow_network = true "
                                    + "(PORTUNUS_BACKUP_DIR_ALLOW_NETWORK=true), or choose a local filesystem"));
        }
        try {
            Path data = dataDir.toAbsolutePath().normalize();
            if (backupDir.toAbsolutePath().normalize().startsWith(data) || store.equals(storeOf(data))) {
                Event.of(EventName.STARTUP_BACKUP_DIR_SAME_FILESYSTEM).with("path", backupDir).with("data_dir", data)
                        .hint("a backup on the same disk does not survive the disk: mount another volume at backup_dir")
                        .warn();
            }
        } catch (IOException e) {
            // the data-dir was checked before; nothing to compare against
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
