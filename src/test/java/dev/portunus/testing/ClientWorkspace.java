package dev.portunus.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A scratch area for running {@code portunus-client} as a real process: a temporary root, a working
 * directory inside it, and a clean environment whose {@code HOME} lies inside it too (so no bundle of
 * the machine is ever found or written). {@link #close()} removes it all.
 */
public final class ClientWorkspace implements AutoCloseable {

    public final Path root;
    public final Path cwd;
    public final Map<String, String> env;

    private ClientWorkspace(Path root) throws java.io.IOException {
        this.root = root;
        this.cwd = Files.createDirectories(root.resolve("cwd"));
        this.env = ClientProcessSupport.cleanEnv();
        env.put("HOME", root.resolve("home").toString());
    }

    public static ClientWorkspace create(String prefix) throws java.io.IOException {
        return new ClientWorkspace(TestFiles.tempDir(prefix));
    }

    /** Runs {@code portunus-client <args>} (the jar's {@code client} verb) with {@link #env} in {@link #cwd}. */
    public CliRun.Result client(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "client";
        System.arraycopy(args, 0, full, 1, args.length);
        return ClientProcessSupport.run(env, cwd, full);
    }

    @Override
    public void close() {
        TestFiles.deleteTree(root);
    }
}
