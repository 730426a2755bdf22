package dev.portunus.auth;

import dev.portunus.credentials.CredentialRepository;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.SessionRepository;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Best-effort "last used" bookkeeping (credentials' {@code last_used_at}, sessions' {@code last_seen_at}).
 * Authentication runs on the event loop and must not wait for the write lock, so these small
 * updates go to one background thread; when it is behind, updates are skipped (they are advisory).
 */
@ApplicationScoped
public class Touches {

    private static final Logger LOG = Logger.getLogger(Touches.class);

    /** A stamp younger than this is not rewritten: one write per minute per credential at most. */
    static final long RESOLUTION_MS = 60_000;

    @Inject
    Store store;

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256), r -> {
                Thread t = new Thread(r, "portunus-touch");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());

    static boolean stale(String stamp, long nowMs) {
        return stamp == null || stamp.compareTo(Timestamps.format(java.time.Instant.ofEpochMilli(nowMs - RESOLUTION_MS))) < 0;
    }

    void credentialUsed(String credentialId) {
        submit(h -> CredentialRepository.touch(h, credentialId, Timestamps.now()));
    }

    void sessionSeen(String idHash) {
        submit(h -> SessionRepository.touch(h, idHash, Timestamps.now()));
    }

    @FunctionalInterface
    private interface Touch {
        void run(Handle h) throws java.sql.SQLException;
    }

    private void submit(Touch touch) {
        executor.execute(() -> {
            try {
                store.write(h -> {
                    touch.run(h);
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.debugf("skipped a last-used update: %s", e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
