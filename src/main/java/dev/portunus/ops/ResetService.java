package dev.portunus.ops;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code reset}: removes exactly the four store files and nothing else. A {@code state.db} that is
 * not SQLite is refused, which protects a mistyped {@code --data-dir} from losing someone's files.
 */
public final class ResetService {

    private ResetService() {
    }

    /** The store files present now, in removal order. */
    public static List<Path> present(StoreFiles files) {
        return files.storeFiles().stream().filter(Files::exists).toList();
    }

    /** Refuses unless the data-dir's {@code state.db} (if any) is SQLite. */
    public static void requireSqliteOrAbsent(StoreFiles files) {
        Path db = files.db();
        try {
            if (Files.exists(db) && Files.size(db) > 0 && !SqliteFile.hasSqliteHeader(db)) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_RESET_REFUSED).with("path", db)
                        .with("reason", "state.db is not a SQLite database; nothing was removed")
                        .hint("check --data-dir: this does not look like a Portunus data-dir"));
            }
        } catch (IOException e) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_RESET_REFUSED).with("path", db)
                    .with("reason", e.getMessage()).hint("check the data-dir's permissions"), e);
        }
    }

    /** Removes the store files; the lock file goes last, after the caller released it. */
    public static List<Path> remove(StoreFiles files) throws IOException {
        List<Path> removed = present(files);
        for (Path p : removed) {
            Files.deleteIfExists(p);
        }
        return removed;
    }
}
