package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.ops.AuditPrune;
import dev.portunus.store.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Delete audit entries older than a cut-off and give the space back.")
public class AuditPruneCommand extends StoreCommand {

    @Option(names = "--before", required = true, paramLabel = "<RFC3339>",
            description = "Cut-off, e.g. 2026-01-01T00:00:00Z; entries strictly older go.")
    String before;

    @Option(names = "--dry-run", description = "Only count the entries that would go.")
    boolean dryRun;

    @Override
    public Integer call() {
        Instant cutoff;
        try {
            cutoff = Timestamps.parseRfc3339(before);
        } catch (DateTimeParseException e) {
            throw new Refusal(Refusal.USAGE, Event.of(EventName.CLI_INVALID_TIMESTAMP).with("flag", "--before")
                    .with("value", before).hint("give an RFC 3339 UTC time such as 2026-01-01T00:00:00Z"));
        }
        long n = dryRun ? AuditPrune.countOlderThan(files(), cutoff) : AuditPrune.prune(files(), cutoff);
        out().println(n);
        out().flush();
        Event.of(dryRun ? EventName.CLI_AUDIT_PRUNE_DRY_RUN : EventName.CLI_AUDIT_PRUNE_COMPLETE)
                .with("before", Timestamps.format(cutoff)).with(dryRun ? "would_delete" : "deleted", n).info();
        return 0;
    }
}
