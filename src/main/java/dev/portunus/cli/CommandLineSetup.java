package dev.portunus.cli;

import dev.portunus.events.Event;
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
            Event.of("cli.failed").with("command", cmd.getCommandName())
                    .with("reason", ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage()).replaceAll("\\s+", " "))
                    .hint("nothing was changed past the last completed step; rerun, and report this if it repeats")
                    .error();
            return Refusal.GENERIC;
        });
    }
}
