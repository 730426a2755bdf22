package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The single-writer lock: an exclusive, non-blocking POSIX lock on {@code state.db.lock}.
 * Java's file locks are process-wide and die with the channel that took them, so the channel is
 * kept open for as long as the lock is needed and nothing else in the process opens that file.
 */
public final class StoreLock implements AutoCloseable {

    private static StoreLock held;

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or refuses with exit 75 naming the command that was refused. */
    public static synchronized StoreLock acquire(StoreFiles files, String what) {
        if (held != null) {
            return held;
        }
        Path path = files.lock();
        try {
            if (!Files.exists(path)) {
                FileOps.createPrivateFile(path);
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw inUse(files, what);
            }
            held = new StoreLock(channel, lock);
            return held;
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return acquire(files, what); // another process created it between our check and create
        } catch (IOException e) {
            throw StoreAccess.storeFailure(path, e);
        }
    }

    /** True when another process holds the lock right now; leaves no lock behind. */
    public static boolean heldElsewhere(StoreFiles files) {
        if (!Files.exists(files.lock())) {
            return false;
        }
        synchronized (StoreLock.class) {
            if (held != null) {
                return false;
            }
        }
        try (FileChannel channel = FileChannel.open(files.lock(), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    public static Refusal inUse(StoreFiles files, String what) {
        return new Refusal(Refusal.IN_USE, Event.of(EventName.STARTUP_STORE_IN_USE)
                .with("path", files.db())
                .with("refused", what)
                .hint("another portunus-server process (serve, restore, reset, ...) holds " + files.lock()
                        + "; stop it first, or use 'backup' which works beside a running serve"));
    }

    @Override
    public synchronized void close() {
        synchronized (StoreLock.class) {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                channel.close();
            } catch (IOException ignored) {
                // Process exit releases the lock anyway.
            }
            if (held == this) {
                held = null;
            }
        }
    }
}
