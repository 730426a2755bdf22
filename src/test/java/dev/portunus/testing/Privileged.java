package dev.portunus.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fixtures that need root, as CI has it: real small filesystems on loop devices (disk full for
 * real), read-only bind mounts, and other users via {@code setpriv}. Tests call {@link #assumeRoot}
 * first, so that without root they are reported as skipped with the reason, never as passed.
 */
public final class Privileged {

    /** The image's service user (deploy/Dockerfile). */
    public static final int SERVICE_UID = 10001;

    private Privileged() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static void assumeRoot() {
        assumeTrue(isRoot(), "needs root for loop mounts, bind mounts and setpriv (CI runs as root): SKIPPED, not passed");
    }

    /** Runs a command to completion (30 s at most) and fails the test unless it exits 0. */
    public static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Gives a tree to {@code uid:gid}, and lets everyone traverse the test root above it. */
    public static void chown(Path path, int uid, int gid) {
        run("chown", "-R", uid + ":" + gid, path.toString());
    }

    /** Makes every directory from {@code dir} up to target/test-data traversable by other users. */
    public static void traversable(Path dir) {
        Path base = Path.of("target", "test-data").toAbsolutePath();
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(base); p = p.getParent()) {
            run("chmod", "a+x", p.toString());
        }
    }

    /** A small ext4 filesystem on a loop device, mounted at {@code mountPoint}; unmounted on close. */
    public static final class LoopFs implements AutoCloseable {
        private final Path image;
        private final Path mountPoint;

        private LoopFs(Path image, Path mountPoint) {
            this.image = image;
            this.mountPoint = mountPoint;
        }

        /** Creates an image of {@code kib} KiB next to {@code mountPoint}, formats and mounts it. */
        public static LoopFs mount(Path mountPoint, int kib) {
            try {
                Files.createDirectories(mountPoint);
                Path image = mountPoint.resolveSibling(mountPoint.getFileName() + ".img");
                run("truncate", "-s", kib + "K", image.toString());
                run("mkfs.ext4", "-q", "-F", image.toString());
                run("mount", "-o", "loop", image.toString(), mountPoint.toString());
                return new LoopFs(image, mountPoint);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Path path() {
            return mountPoint;
        }

        /** Free space in KiB as {@code df} reports it to unprivileged users. */
        public long freeKib() {
            String[] lines = run("df", "-k", "--output=avail", mountPoint.toString()).strip().split("\n");
            return Long.parseLong(lines[lines.length - 1].strip());
        }

        /** Writes a filler file until about {@code leaveKib} KiB stay free. */
        public void fillLeaving(long leaveKib) {
            long fill = freeKib() - leaveKib;
            if (fill > 0) {
                run("dd", "if=/dev/zero", "of=" + mountPoint.resolve("filler"), "bs=1K", "count=" + fill, "status=none");
            }
        }

        @Override
        public void close() {
            run("umount", mountPoint.toString());
            try {
                Files.deleteIfExists(image);
            } catch (IOException ignored) {
                // under target/, removed with the test tree
            }
        }
    }

    /** {@code src} bind-mounted read-only at {@code dst}; unmounted on close. */
    public static AutoCloseable bindReadOnly(Path src, Path dst) {
        try {
            Files.createDirectories(dst);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("mount", "--bind", src.toString(), dst.toString());
        run("mount", "-o", "remount,bind,ro", dst.toString());
        return () -> run("umount", dst.toString());
    }

    /** The names in {@code dir}, hidden ones included, for "nothing was left behind" checks. */
    public static List<String> names(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
