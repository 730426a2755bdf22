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
@Command(name = "client", description = "Client side: enroll with a server, check the bundle, find it.",
        subcommands = {ClientCommand.Enroll.class, ClientCommand.Check.class, ClientCommand.BundlePath.class})
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

    /** The {@code --bundle} option that check and bundle-path share. */
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

    @Command(name = "bundle-path", description = "Print the bundle path that would be used (last line of stdout).")
    static class BundlePath extends WithBundle {

        @Override
        public Integer call() {
            return actions(spec).bundlePath(bundle());
        }
    }
}
