package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Maps what commands throw to the exit codes of 01-store.md §5; usage errors stay picocli's 2. */
@ApplicationScoped
public class CommandLineSetup {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create().setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof Refusal refusal) {
                return refusal.report();
            }
            // An I/O failure nobody classified yet still gets its cause (permission, read-only, space).
            java.io.IOException io = dev.portunus.events.Causes.find(ex, java.io.IOException.class);
            if (io instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
                return dev.portunus.store.StoreAccess.ioFailure(java.nio.file.Path.of(fs.getFile()), io, EventName.CLI_FAILED,
                        Refusal.GENERIC, "nothing was changed past the last completed step").report();
            }
            Event.of(EventName.CLI_FAILED).with("command", cmd.getCommandName())
                    .with("reason", ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage()).replaceAll("\\s+", " "))
                    .hint("nothing was changed past the last completed step; rerun, and report this if it repeats")
                    .error();
            return Refusal.GENERIC;
        });
    }
}
