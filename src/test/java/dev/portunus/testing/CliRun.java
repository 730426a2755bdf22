package dev.portunus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built jar as a real process, the way an operator does: {@code java -jar quarkus-run.jar
 * <args>}. The environment starts clean of every PORTUNUS_ and XDG variable so that the machine
 * running the tests cannot leak a data-dir into them.
 */
public final class CliRun {

    /** What a finished process left behind. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** True when stderr has an {@code event=<name>} line. */
        public java.util.List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        public boolean hasEvent(String name) {
            return eventLine(name) != null;
        }

        /** The first stderr line with {@code event=<name>}, or null. */
        public String eventLine(String name) {
            for (String line : stderr.split("\n")) {
                if (line.contains("event=" + name + " ") || line.endsWith("event=" + name)) {
                    return line;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "exit=" + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private final List<String> prefix = new ArrayList<>();
    private Path directory;

    private CliRun() {
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("PORTUNUS_") && !k.startsWith("XDG_") && !k.equals("STATE_DIRECTORY")) {
                env.put(k, e.getValue());
            }
        }
    }

    public static CliRun create() {
        return new CliRun();
    }

    public CliRun env(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    /** Replaces the whole environment of the processes this runs. */
    public CliRun environment(Map<String, String> environment) {
        env.clear();
        env.putAll(environment);
        return this;
    }

    /**
     * Runs the processes as {@code uid:gid} with no supplementary groups ({@code setpriv}, needs root),
     * the way the image's service user runs them.
     */
    public CliRun asUser(int uid, int gid) {
        prefix.addAll(0, List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        return this;
    }

    /** Runs the processes under {@code umask} (e.g. "000", the most permissive). */
    public CliRun umask(String umask) {
        prefix.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        return this;
    }

    /**
     * Runs the java command under {@code wrapper} (e.g. {@code /usr/bin/time -o F -f %M}, which
     * records the peak RSS), after any {@link #asUser}/{@link #umask} prefix.
     */
    public CliRun wrappedIn(String... wrapper) {
        prefix.addAll(List.of(wrapper));
        return this;
    }

    /** Runs the processes in {@code dir} (for commands that look at their working directory). */
    public CliRun in(Path dir) {
        this.directory = dir;
        return this;
    }

    public static Path jar() {
        String jar = System.getProperty("portunus.jar");
        Path p = jar != null ? Path.of(jar) : Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(p)) {
            throw new IllegalStateException("built jar not found at " + p + "; run mvn package first");
        }
        return p.toAbsolutePath();
    }

    /** Runs to completion (at most 60 s) and returns exit code and output. */
    public Result run(String... args) {
        return runWithStdin(null, args);
    }

    public Result runWithStdin(String stdin, String... args) {
        Background p = start(args);
        try {
            if (stdin != null) {
                p.process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.process.getOutputStream().close();
            return p.waitFor(Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts without waiting: for {@code serve}, or a command raced against one. */
    public Background start(String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(java("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile(TestFiles.tempDir("proc-"), "stdout", ".txt");
            Path err = out.resolveSibling("stderr.txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            return new Background(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A running {@code serve} on a free loopback port. */
    public record Serving(Background process, int port) implements AutoCloseable {
        public String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /**
     * Starts {@code serve} on {@code dataDir} and waits until /q/health/ready answers 200. The client
     * listener takes a port of the kernel's choice on 127.0.0.1 unless {@code extraArgs} name one:
     * its default, 0.0.0.0:7443, may be taken on a shared machine.
     */
    public Serving serve(Path dataDir, String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", dataDir.toString(),
                "--operator-http-listen", "127.0.0.1:" + port));
        if (!List.of(extraArgs).contains("--client-listen")) {
            args.addAll(List.of("--client-listen", "127.0.0.1:0"));
        }
        args.addAll(List.of(extraArgs));
        Background p = start(args.toArray(String[]::new));
        Serving serving = new Serving(p, port);
        try {
            p.awaitHttp200(serving.url("/q/health/ready"), Duration.ofSeconds(60));
        } catch (AssertionError e) {
            p.close();
            throw e;
        }
        return serving;
    }

    /**
     * A command line that runs this JDK's java with SQLite's native library from the build, as
     * deploy/bin/portunus-server passes it, then {@code rest}. Without it the driver unpacks its own
     * copy into java.io.tmpdir at every start, and a process a test kills leaves that copy behind
     * (~90 of them, 1-2 MB each, per test run).
     */
    public static List<String> java(String... rest) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> "";
        };
        Path natives = jar().resolveSibling("native").resolve(arch);
        if (!arch.isEmpty() && Files.isRegularFile(natives.resolve("libsqlitejdbc.so"))) {
            cmd.addAll(List.of("-Dorg.sqlite.lib.path=" + natives, "-Dorg.sqlite.lib.name=libsqlitejdbc.so"));
        }
        cmd.addAll(List.of(rest));
        return cmd;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process started by {@link #start}; output goes to files so that it can never block. */
    public static final class Background implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;

        Background(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public Process process() {
            return process;
        }

        public long pid() {
            return process.pid();
        }

        public String stderr() {
            return read(err);
        }

        public String stdout() {
            return read(out);
        }

        public Result waitFor(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("process did not finish within " + timeout + "\n" + stderr());
                }
                return new Result(process.exitValue(), stdout(), stderr());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Polls GET {@code url} until it answers 200 (at most {@code timeout}); fails if the process dies first. */
        public void awaitHttp200(String url, Duration timeout) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("process exited with " + process.exitValue() + " before " + url
                            + " answered\n" + stderr());
                }
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                sleep(100);
            }
            throw new AssertionError(url + " not ready within " + timeout + "\n" + stderr());
        }

        /** SIGTERM, then wait for the exit code. */
        public Result terminate(Duration timeout) {
            process.destroy();
            return waitFor(timeout);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
