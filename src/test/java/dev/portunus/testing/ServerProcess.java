package dev.portunus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code serve} process from the built jar (failsafe passes {@code portunus.jar}), on a
 * loopback port chosen free, with stderr captured to a file. For the tests that need a real
 * process: SIGTERM drains, kill -9 crashes, and the store lock refuses other commands (75).
 */
public final class ServerProcess implements AutoCloseable {

    public static final String OPERATOR_TOKEN = TempStoreResource.OPERATOR_TOKEN;

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final Path stderr;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerProcess(Path dataDir, int port, Process process, Path stderr) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.stderr = stderr;
    }

    public static Path jar() {
        return CliRun.jar();
    }

    /** Writes server.toml with the operator token (unless present), starts serve, waits until ready. */
    public static ServerProcess start(Path dataDir) {
        return start(dataDir, List.of());
    }

    /** As {@link #start(Path)}, with extra JVM options (e.g. {@code -Dportunus.audit.enabled=false}, heap size). */
    public static ServerProcess start(Path dataDir, List<String> jvmOptions) {
        try {
            Files.createDirectories(dataDir);
            Path toml = dataDir.resolve("server.toml");
            if (!Files.exists(toml)) {
                Files.writeString(toml, "operator_token = \"" + OPERATOR_TOKEN + "\"\n");
            }
            int port = freePort();
            Path err = Files.createTempFile(dataDir.getParent(), "serve-", ".stderr");
            Process p = new ProcessBuilder(javaCommand(jvmOptions, "serve", "--data-dir", dataDir.toString(), "--operator-http-listen",
                    "127.0.0.1:" + port, "--client-listen", "127.0.0.1:0")).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ServerProcess server = new ServerProcess(dataDir, port, p, err);
            server.awaitReady(Duration.ofSeconds(90));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a one-shot command (e.g. user-add) against the data-dir and waits for it (bounded). */
    public static CliRun.Result command(Path dataDir, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
        return CliRun.create().runWithStdin(stdin, all.toArray(String[]::new));
    }

    private static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = CliRun.java("-Xmx256m");
        cmd.addAll(jvmOptions.isEmpty() ? List.of("-XX:TieredStopAtLevel=1") : jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static int freePort() {
        return CliRun.freePort();
    }

    private void awaitReady(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("serve exited with " + process.exitValue() + ":\n" + stderr());
            }
            try {
                if (get("/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        kill9();
        throw new AssertionError("serve not ready within " + max + ":\n" + stderr());
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public HttpResponse<String> get(String path, String token) throws IOException {
        return send("GET", path, token, null);
    }

    /** Sends a request with an optional Bearer token and JSON body. */
    public HttpResponse<String> send(String method, String path, String token, String json) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public HttpResponse<String> operator(String method, String path, String json) throws IOException {
        return send(method, path, OPERATOR_TOKEN, json);
    }

    /** SIGTERM, then waits (bounded) and returns the exit code. */
    public int stop() {
        process.destroy();
        return await(60);
    }

    /** kill -9: no shutdown hooks, no drain, no checkpoint. */
    public int kill9() {
        process.destroyForcibly();
        return await(30);
    }

    private int await(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("serve did not exit within " + seconds + " s:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "<no stderr: " + e.getMessage() + ">";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            await(30);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
