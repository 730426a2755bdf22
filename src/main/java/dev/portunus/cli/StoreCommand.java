package dev.portunus.cli;

import dev.portunus.config.DataDirResolver;
import dev.portunus.store.StoreFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared by the commands that work on a data-dir's store: the data-dir and where results go. */
abstract class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The data-dir of 01-store.md §1: {@code --data-dir}, then the environment; refuses (78) when none. */
    Path dataDir() {
        return DataDirResolver.resolve(((PortunusCommand) spec.root().userObject()).dataDir, System.getenv());
    }

    StoreFiles files() {
        return new StoreFiles(dataDir());
    }

    /** Results for scripts go to stdout; events and refusals go to stderr. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
