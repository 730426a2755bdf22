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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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

    /**
     * The verbs in the order {@code --help} lists them. Picocli introspects every registered command
     * class by reflection (and the classes their fields name) when it is added, about half of a
     * command-mode process's run time when all of them were; so a run registers only its verb.
     */
    private static final Map<String, Supplier<Object>> VERBS = verbs();

    private static Map<String, Supplier<Object>> verbs() {
        Map<String, Supplier<Object>> v = new LinkedHashMap<>();
        v.put("serve", ServeCommand::new);
        v.put("backup", BackupCommand::new);
        v.put("verify", VerifyCommand::new);
        v.put("restore", RestoreCommand::new);
        v.put("reset", ResetCommand::new);
        v.put("audit", AuditCommand::new);
        v.put("gen-token", GenTokenCommand::new);
        v.put("user-add", UserAddCommand::new);
        v.put("reset-password", ResetPasswordCommand::new);
        v.put("import-legacy", ImportLegacyCommand::new);
        v.put("client", ClientCommand::new);
        return v;
    }

    /** The whole command line, every verb registered (top-level {@code --help}, tests). */
    public static CommandLine commandLine() {
        return commandLine(VERBS.keySet());
    }

    /**
     * The command line for these arguments: only the verb they name when it is a known one (the
     * first argument that is neither an option nor {@code --data-dir}'s value), every verb otherwise
     * (top-level help, version, usage errors that list the verbs).
     */
    public static CommandLine commandLineFor(String... args) {
        String verb = verbOf(args);
        return commandLine(verb != null && VERBS.containsKey(verb) ? Set.of(verb) : VERBS.keySet());
    }

    static String verbOf(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    private static CommandLine commandLine(Set<String> verbs) {
        CommandLine cl = new CommandLine(new PortunusCommand());
        VERBS.forEach((name, command) -> {
            if (verbs.contains(name)) {
                cl.addSubcommand(name, command.get());
            }
        });
        if (verbs.contains("serve")) {
            addServeFlags(cl.getSubcommands().get("serve").getCommandSpec());
        }
        return cl.setExecutionExceptionHandler(Commands::failure);
    }

    private static void addServeFlags(CommandSpec serve) {
        for (Setting s : Setting.values()) {
            if (s.flag() != null) {
                serve.addOption(OptionSpec.builder(s.flag()).paramLabel("<" + s.key() + ">").type(String.class)
                        .description(s.description() + (s.defaultValue() == null ? "" : " Default: " + s.defaultValue() + ".")
                                + " Also " + s.env() + " or '" + s.key() + "' in server.toml.")
                        .build());
            }
        }
    }

    private static int failure(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
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
    }
}
