package dev.portunus.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The effective uid and gid of this process, read once from {@code /proc/self/status} (Linux, the
 * only platform the appliance ships for). Refusals name them, because "permission denied" is only
 * actionable when the operator knows which user needs the access ({@code chown 10001:10001 …}).
 */
public final class ProcessIdentity {

    private static final int[] IDS = read();

    private ProcessIdentity() {
    }

    /** Effective uid, or -1 when it cannot be determined. */
    public static int uid() {
        return IDS[0];
    }

    /** Effective gid, or -1 when it cannot be determined. */
    public static int gid() {
        return IDS[1];
    }

    public static boolean isRoot() {
        return IDS[0] == 0;
    }

    /** {@code uid:gid}, the argument {@code chown} takes. */
    public static String owner() {
        return uid() + ":" + gid();
    }

    private static int[] read() {
        int[] ids = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                // "Uid:\treal\teffective\tsaved\tfs": the effective id decides access.
                if (line.startsWith("Uid:")) {
                    ids[0] = Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                } else if (line.startsWith("Gid:")) {
                    ids[1] = Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unknown identity: refusals then say "this user" instead of a number.
        }
        return ids;
    }
}
