package dev.portunus.cli;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "gen-token", description = "Print a random URL-safe token (32 bytes of entropy); needs no store.")
public class GenTokenCommand implements Callable<Integer> {

    static final int BYTES = 32;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        byte[] raw = new byte[BYTES];
        new SecureRandom().nextBytes(raw);
        spec.commandLine().getOut().println(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
