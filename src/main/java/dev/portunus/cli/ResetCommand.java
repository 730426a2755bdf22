package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.ops.ResetService;
import dev.portunus.ops.StoreLock;
import dev.portunus.store.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", description = "Remove the store files (a dry run unless --confirm). "
        + "Keeps server.crt, server.key, server.toml and anything else.")
public class ResetCommand extends StoreCommand {

    @Option(names = "--confirm", description = "Really remove state.db, state.db-wal, state.db-shm, state.db.lock.")
    boolean confirm;

    @Override
    public Integer call() {
        StoreFiles files = files();
        dev.portunus.ops.StoreAccess.requireReadWrite(files);
        ResetService.requireSqliteOrAbsent(files);
        if (StoreLock.heldElsewhere(files)) {
            throw StoreLock.inUse(files, "reset");
        }
        List<Path> present = ResetService.present(files);
        if (present.isEmpty()) {
            Event.of(EventName.CLI_RESET_NOOP).with("path", files.dataDir()).hint("nothing to remove").info();
            return 0;
        }
        if (!confirm) {
            present.forEach(p -> out().println("would remove " + p));
            out().flush();
            Event.of(EventName.CLI_RESET_DRY_RUN).with("path", files.dataDir()).with("would_remove", present.size())
                    .hint("run again with --confirm to remove these files")
                    .info();
            return 0;
        }
        List<Path> removed;
        try (StoreLock lock = StoreLock.acquire(files, "reset")) {
            removed = ResetService.remove(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        removed.forEach(p -> out().println("removed " + p));
        out().flush();
        Event.of(EventName.CLI_RESET_COMPLETE).with("path", files.dataDir()).with("removed", removed.size()).info();
        return 0;
    }
}
