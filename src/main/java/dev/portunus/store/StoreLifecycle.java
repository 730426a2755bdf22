package dev.portunus.store;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * End of a {@code serve} process: after in-flight requests and the audit drain (which observe the
 * shutdown earlier), fold the WAL into the database so the data-dir is one self-contained file.
 */
@ApplicationScoped
public class StoreLifecycle {

    /** Observers with a lower priority run first; the audit drain uses a lower number than this. */
    public static final int CHECKPOINT_PRIORITY = 5000;

    private static final Logger LOG = Logger.getLogger(StoreLifecycle.class);

    @Inject
    Store store;

    void onStop(@Observes @Priority(CHECKPOINT_PRIORITY) ShutdownEvent event) {
        try {
            store.checkpoint();
        } catch (RuntimeException e) {
            LOG.warnf("WAL checkpoint at shutdown failed: %s (SQLite recovers the WAL at next start)", e.getMessage());
        }
    }
}
