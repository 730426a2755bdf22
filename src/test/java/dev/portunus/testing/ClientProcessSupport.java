package dev.portunus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real processes of the packaged jar for the client tests: a {@code serve} on free loopback ports
 * (operator API and client listener), one-shot commands ({@code client enroll}, {@code backup} …)
 * with a controlled environment, and small JSON calls to the operator API. Everything is bounded.
 */
public final class ClientProcessSupport {

    public static final String OPERATOR_TOKEN = "it-operator-token-0123456789abcdef";
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ClientProcessSupport() {
    }

    @FunctionalInterface
    interface IoWork<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Runs process and socket work, turning its checked exceptions into unchecked ones. */
    static <T> T unchecked(IoWork<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path jar() {
        return CliRun.jar();
    }

    public static int freePort() {
        return CliRun.freePort();
    }

    /** The inherited environment without anything that would steer a data-dir, a bundle or the config. */
    public static Map<String, String> cleanEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("PORTUNUS_") || k.startsWith("XDG_") || k.equals("STATE_DIRECTORY"));
        return env;
    }

    /** Runs the jar with {@code args} to completion, with exactly {@code env}, in {@code cwd}. */
    public static CliRun.Result run(Map<String, String> env, Path cwd, String... args) {
        return CliRun.create().environment(env).in(cwd).run(args);
    }

    /** {@code portunus-client <args>}: {@link #run} with the {@code client} verb in front. */
    public static CliRun.Result client(Map<String, String> env, Path cwd, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "client";
        System.arraycopy(args, 0, full, 1, args.length);
        return run(env, cwd, full);
    }

    /** A running {@code serve}; {@link #close()} sends SIGTERM and waits. */
    public static final class Server implements AutoCloseable {

        public final Path dataDir;
        public final int operatorPort;
        public final int clientPort;
        private final Process process;
        private final Path log;

        private Server(Path dataDir, int operatorPort, int clientPort, Process process, Path log) {
            this.dataDir = dataDir;
            this.operatorPort = operatorPort;
            this.clientPort = clientPort;
            this.process = process;
            this.log = log;
        }

        public String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "<no log: " + e.getMessage() + ">";
            }
        }

        public JsonNode call(String method, String path, Object body) {
            return call(method, path, body, OPERATOR_TOKEN);
        }

        /** Calls the operator API; returns {@code {"status":…, "body":…}}. */
        public JsonNode call(String method, String path, Object body, String token) {
            return unchecked(() -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operatorPort + path))
                        .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                var node = JSON.createObjectNode();
                node.put("status", r.statusCode());
                node.set("body", r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
                return node;
            });
        }

        /** The body of a call that must answer {@code status}. */
        public JsonNode expect(int status, String method, String path, Object body) {
            JsonNode r = call(method, path, body);
            if (r.get("status").asInt() != status) {
                throw new AssertionError(method + " " + path + " answered " + r + ", expected " + status);
            }
            return r.get("body");
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: a clean shutdown
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts {@code serve} on the given ports and waits (at most 60 s) for readiness. */
    public static Server serve(Path dataDir, int operatorPort, int clientPort) {
        return serve(dataDir, operatorPort, clientPort, Map.of());
    }

    /** As {@link #serve(Path, int, int)}, with {@code env} added to serve's environment (e.g. {@code PORTUNUS_*} settings). */
    public static Server serve(Path dataDir, int operatorPort, int clientPort, Map<String, String> env) {
        return unchecked(() -> {
            Path log = Files.createTempFile(dataDir.getParent(), "serve-", ".log");
            ProcessBuilder pb = new ProcessBuilder(CliRun.java("-jar", jar().toString(), "serve", "--data-dir", dataDir.toString(),
                    "--operator-http-listen", "127.0.0.1:" + operatorPort, "--client-listen", "127.0.0.1:" + clientPort))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(cleanEnv());
            pb.environment().put("PORTUNUS_OPERATOR_TOKEN", OPERATOR_TOKEN);
            pb.environment().putAll(env);
            Server server = new Server(dataDir, operatorPort, clientPort, pb.start(), log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("serve exited with " + server.process.exitValue() + ":\n" + server.log());
                }
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operatorPort + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return server;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            server.close();
            throw new IllegalStateException("serve did not become ready within 60 s:\n" + server.log());
        });
    }

    /** The URI inside an enrollment's {@code command}. */
    public static String enrollUri(JsonNode enrollment) {
        String command = enrollment.get("command").asText();
        int open = command.indexOf('\'');
        return command.substring(open + 1, command.lastIndexOf('\''));
    }
}
