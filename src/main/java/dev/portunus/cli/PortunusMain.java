package dev.portunus.cli;

import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The process entry point of {@code portunus-server} and {@code portunus-client}. Picocli parses the
 * whole command line first and the verb decides the {@link dev.portunus.config.Mode}: only
 * {@code serve} boots Quarkus (after its startup checks, see {@link ServeCommand}); every other verb,
 * {@code --help} and usage errors run without it, so they neither listen nor migrate on their own.
 */
@QuarkusMain
public class PortunusMain {

    public static void main(String... args) {
        System.exit(Commands.commandLineFor(args).execute(args));
    }
}
