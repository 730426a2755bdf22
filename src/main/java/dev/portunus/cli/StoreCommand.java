package dev.portunus.cli;

import dev.portunus.store.DataDir;
import dev.portunus.store.StoreFiles;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared by the commands that work on the data-dir's store. */
abstract class StoreCommand implements Callable<Integer> {

    @Inject
    DataDir dataDir;

    @Spec
    CommandSpec spec;

    StoreFiles files() {
        return dataDir.files();
    }

    /** Results for scripts go to stdout; events and refusals go to stderr. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
