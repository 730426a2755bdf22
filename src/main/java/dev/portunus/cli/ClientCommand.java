package dev.portunus.cli;

import dev.portunus.clienttool.ClientActions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portunus-client <command>} ({@code java -jar quarkus-run.jar client <command>}). These
 * commands need no store and no data-dir: they read and write only the client bundle.
 */
@Command(name = "client", description = "Client side: enroll with a server, check the bundle, find it, report traffic.",
        subcommands = {ClientCommand.Enroll.class, ClientCommand.Check.class, ClientCommand.BundlePath.class,
            ClientCommand.Report.class})
public class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static ClientActions actions(CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return new ClientActions(System.getenv(), Path.of("").toAbsolutePath(), out, err);
    }

    @Command(name = "enroll", description = "Redeem an enrollment URI and write the bundle (0600).")
    static class Enroll implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<uri>", description = "portunus://enroll?server=…&code=…&fp=…")
        String uri;

        @Option(names = "--bundle", paramLabel = "<path>", description = "Where to write the bundle.")
        Path bundle;

        @Option(names = "--force", description = "Replace an existing bundle.")
        boolean force;

        @Override
        public Integer call() {
            return actions(spec).enroll(uri, Optional.ofNullable(bundle), force);
        }
    }

    /** The {@code --bundle} option that check, report and bundle-path share. */
    abstract static class WithBundle implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--bundle", paramLabel = "<path>", description = "Use exactly this bundle; no other location is tried.")
        Path bundle;

        Optional<Path> bundle() {
            return Optional.ofNullable(bundle);
        }
    }

    @Command(name = "check", description = "Find and validate the bundle, then ask the server who this client is.")
    static class Check extends WithBundle {

        @Override
        public Integer call() {
            return actions(spec).check(bundle());
        }
    }

    @Command(name = "report", description = "Send one traffic report by hand (the server counts it once per boot id and seq).")
    static class Report extends WithBundle {

        @Option(names = "--rules-file", required = true, paramLabel = "<file>",
                description = "JSON array of {\"rule_id\", \"bytes_in\", \"bytes_out\"[, \"active_connections\"]}; "
                        + "counters are cumulative since the boot started, in bytes.")
        Path rulesFile;

        @Option(names = "--boot-id", paramLabel = "<id>",
                description = "8-64 of [A-Za-z0-9_-]; default: a fresh one, so the file's counters count in full.")
        String bootId;

        @Option(names = "--seq", paramLabel = "<n>", defaultValue = "1",
                description = "Report number within the boot, >= 1, raised for each new report (default: 1).")
        long seq;

        @Override
        public Integer call() {
            return actions(spec).report(bundle(), rulesFile, Optional.ofNullable(bootId), seq);
        }
    }

    @Command(name = "bundle-path", description = "Print the bundle path that would be used (last line of stdout).")
    static class BundlePath extends WithBundle {

        @Override
        public Integer call() {
            return actions(spec).bundlePath(bundle());
        }
    }
}
