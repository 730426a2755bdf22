package dev.portunus.cli;

import picocli.CommandLine.Command;

@Command(name = "audit", description = "Audit log maintenance.", subcommands = AuditPruneCommand.class,
        mixinStandardHelpOptions = true)
public class AuditCommand {
}
