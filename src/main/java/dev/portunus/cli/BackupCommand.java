package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.ops.BackupService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", description = "Online snapshot of the store into a new file (works beside a running serve).")
public class BackupCommand extends StoreCommand {

    @Option(names = "--out", required = true, paramLabel = "<path>",
            description = "New file to write, or an existing directory (gets portunus-state-<UTC>.db).")
    String out;

    @Option(names = "--verify", description = "Run integrity and foreign-key checks on the artefact before publishing it.")
    boolean verify;

    @Override
    public Integer call() {
        BackupService.Result r = BackupService.backup(files(), out, verify);
        out().println(r.artefact());
        out().flush();
        Event.of(EventName.CLI_BACKUP_COMPLETE).with("path", r.artefact()).with("bytes", r.bytes())
                .with("schema_version", r.schemaVersion()).with("sha256", r.sha256())
                .with("copy_ms", r.copyMillis()).with("total_ms", r.totalMillis()).info();
        return 0;
    }
}
