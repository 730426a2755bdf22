package dev.portunus.store;

/**
 * A store operation failed (disk full, I/O error, busy past the timeout). The transaction was
 * rolled back; the API answers 503 {@code store_unavailable} and keeps running.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(Throwable cause) {
        super("store unavailable", cause);
    }
}
