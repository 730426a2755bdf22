package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.ops.RestoreService;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", description = "Replace the store with a checked backup artefact.")
public class RestoreCommand extends StoreCommand {

    @Option(names = "--in", required = true, paramLabel = "<backup>", description = "Artefact written by 'backup'.")
    Path in;

    @Option(names = "--force", description = "Replace an existing state.db.")
    boolean force;

    @Override
    public Integer call() {
        RestoreService.Result r = RestoreService.restore(files(), in, force);
        out().println(r.db());
        out().flush();
        Event.of(EventName.CLI_RESTORE_COMPLETE).with("path", r.db()).with("from", in.toAbsolutePath())
                .with("schema_version", r.toVersion()).with("migrated_from", r.fromVersion())
                .with("replaced", r.replaced()).info();
        return 0;
    }
}
