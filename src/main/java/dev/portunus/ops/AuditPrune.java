package dev.portunus.ops;

import dev.portunus.audit.AuditRepository;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.store.Handle;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.store.StoreFiles;
import dev.portunus.store.Timestamps;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code audit prune --before} (01-store.md §4): deletes audit entries older than a cut-off, then
 * gives the freed pages back with {@code PRAGMA incremental_vacuum}. Works beside a running
 * {@code serve}: rows go in chunks of {@link AuditRepository#PRUNE_CHUNK}, each in its own
 * {@code BEGIN IMMEDIATE}, so the server's writer never waits long for the write lock.
 */
public final class AuditPrune {

    private AuditPrune() {
    }

    public static long countOlderThan(StoreFiles files, Instant cutoff) {
        try (Connection c = open(files)) {
            return AuditRepository.countOlderThan(new Handle(c), Timestamps.format(cutoff));
        } catch (SQLException e) {
            throw failed(files, e);
        }
    }

    /**
     * Where the chunks of a prune are written: the command's own connection, or {@code serve}'s pooled
     * store behind its in-process writer lock (audit retention, 07-scheduled-backups.md §3).
     */
    public interface Writer {

        /** Runs one chunk in its own {@code BEGIN IMMEDIATE} transaction and returns its row count. */
        int chunk(Store.Work<Integer> work) throws SQLException;

        /** {@code PRAGMA incremental_vacuum} once the rows are gone. */
        void vacuum() throws SQLException;
    }

    /** {@code audit prune --before}: on a connection of its own beside a running {@code serve}. Throws {@link Refusal}. */
    public static long prune(StoreFiles files, Instant cutoff) {
        try (Connection c = open(files)) {
            return prune(new Writer() {
                @Override
                public int chunk(Store.Work<Integer> work) throws SQLException {
                    return Store.writeOn(c, work);
                }

                @Override
                public void vacuum() throws SQLException {
                    SqliteFile.incrementalVacuum(c);
                }
            }, cutoff);
        } catch (SQLException e) {
            throw failed(files, e);
        }
    }

    /**
     * Deletes the entries strictly older than {@code cutoff} in chunks of {@link AuditRepository#PRUNE_CHUNK},
     * one write transaction each (so no writer ever waits for more than one chunk), then vacuums;
     * returns how many went. The one implementation of the command and of audit retention.
     */
    public static long prune(Writer writer, Instant cutoff) throws SQLException {
        String before = Timestamps.format(cutoff);
        long total = 0;
        while (true) {
            int n = writer.chunk(h -> AuditRepository.deleteOlderChunk(h, before));
            total += n;
            if (n < AuditRepository.PRUNE_CHUNK) {
                break;
            }
        }
        writer.vacuum();
        return total;
    }

    private static Connection open(StoreFiles files) throws SQLException {
        StoreAccess.requireReadWrite(files);
        try {
            if (StoreInspection.isEmptyFile(files.db()) || !SqliteFile.hasSqliteHeader(files.db())) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_AUDIT_PRUNE_REFUSED).with("path", files.db())
                        .with("reason", "no SQLite store here")
                        .hint("check --data-dir / PORTUNUS_DATA_DIR"));
            }
        } catch (IOException e) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_AUDIT_PRUNE_REFUSED).with("path", files.db())
                    .with("reason", e.getMessage()).hint("check the data-dir's permissions"), e);
        }
        Connection c = SqliteFile.openStore(files.db());
        if (!SqliteFile.tableExists(c, "audit")) {
            c.close();
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_AUDIT_PRUNE_REFUSED).with("path", files.db())
                    .with("reason", "the store has no audit table (never migrated)")
                    .hint("start 'serve' once to migrate the store"));
        }
        return c;
    }

    private static Refusal failed(StoreFiles files, SQLException e) {
        return new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_AUDIT_PRUNE_FAILED).with("path", files.db())
                .with("reason", e.getMessage()).hint("nothing past the last finished chunk was removed; retry"), e);
    }
}
