package dev.portunus.cli;

import dev.portunus.config.Setting;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.ops.StoreAccess;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Builds the command line of {@code portunus-server}: the verbs of 01-store.md §4 (one class each),
 * {@code serve}'s flags generated from the {@link Setting} catalogue, and the mapping of failures to
 * the exit codes of 01-store.md §5 (usage errors stay picocli's 2).
 */
public final class Commands {

    private Commands() {
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PortunusCommand());
        CommandSpec serve = cl.getSubcommands().get("serve").getCommandSpec();
        for (Setting s : Setting.values()) {
            if (s.flag() != null) {
                serve.addOption(OptionSpec.builder(s.flag()).paramLabel("<" + s.key() + ">").type(String.class)
                        .description(s.description() + (s.defaultValue() == null ? "" : " Default: " + s.defaultValue() + ".")
                                + " Also " + s.env() + " or '" + s.key() + "' in server.toml.")
                        .build());
            }
        }
        return cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof Refusal refusal) {
                return refusal.report();
            }
            // An I/O failure nobody classified yet still gets its cause (permission, read-only, space).
            IOException io = Causes.find(ex, IOException.class);
            if (io instanceof FileSystemException fs && fs.getFile() != null) {
                return StoreAccess.ioFailure(Path.of(fs.getFile()), io, EventName.CLI_FAILED, Refusal.GENERIC,
                        "nothing was changed past the last completed step").report();
            }
            Event.of(EventName.CLI_FAILED).with("command", cmd.getCommandName())
                    .with("reason", ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage()).replaceAll("\\s+", " "))
                    .hint("nothing was changed past the last completed step; rerun, and report this if it repeats")
                    .error();
            return Refusal.GENERIC;
        });
    }
}
