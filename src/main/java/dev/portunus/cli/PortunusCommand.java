package dev.portunus.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code portunus-server <command>}: the verbs of 01-store.md §4, one class each, registered by
 * {@link Commands} (only the verb being run, so that a command does not pay for the others' setup).
 */
@Command(name = "portunus-server", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "portunus-server 0.1.0",
        description = "Portunus control-plane store and operator API.")
public class PortunusCommand {

    /** Accepted before or after the subcommand (inherited); resolved by {@link #dataDir()}. */
    @Option(names = "--data-dir", paramLabel = "<path>", scope = ScopeType.INHERIT,
            description = "Data directory (default: $PORTUNUS_DATA_DIR, $STATE_DIRECTORY, "
                    + "$XDG_STATE_HOME/portunus, $HOME/.local/state/portunus).")
    String dataDir;
}
