package dev.portunus.store;

import java.nio.file.Path;
import java.util.List;

/** The fixed file names inside a data-dir (01-store.md §1). */
public record StoreFiles(Path dataDir) {

    public static final String STATE_DB = "state.db";

    public Path db() {
        return dataDir.resolve(STATE_DB);
    }

    public Path wal() {
        return dataDir.resolve(STATE_DB + "-wal");
    }

    public Path shm() {
        return dataDir.resolve(STATE_DB + "-shm");
    }

    public Path lock() {
        return dataDir.resolve(STATE_DB + ".lock");
    }

    /** Exactly what {@code reset --confirm} removes, in this order. */
    public List<Path> storeFiles() {
        return List.of(db(), wal(), shm(), lock());
    }

    /** The sidecars SQLite keeps beside the database while it is open. */
    public List<Path> sidecars() {
        return List.of(wal(), shm(), dataDir.resolve(STATE_DB + "-journal"));
    }

    public String jdbcUrl() {
        return SqliteFile.jdbcUrl(db());
    }
}
