package dev.portunus.store;

/**
 * The schema this binary ships. Kept as a constant because command mode must compare a store's
 * version against it before Flyway (which would refuse a newer store with a less useful error)
 * is allowed near the file; a test pins it to the newest file in {@code db/migration}.
 */
public final class Schema {

    public static final int LATEST_VERSION = 3;

    private Schema() {
    }
}
