package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import io.quarkus.runtime.Quarkus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code serve}: by the time this runs, the launcher has done the startup checks and Quarkus has
 * migrated the store and opened the operator API. It waits for SIGTERM; shutdown (audit drain,
 * WAL checkpoint, lock release) happens in {@code StoreLifecycle}.
 */
@Command(name = "serve", description = "Run the startup checks, then the operator HTTP API.")
public class ServeCommand implements Callable<Integer> {

    // Read by the launcher before boot (LaunchArgs); declared here so picocli accepts and documents them.
    @Option(names = "--operator-http-listen", paramLabel = "<host:port>", description = "Operator API address (default 127.0.0.1:7080).")
    String operatorHttpListen;

    @Option(names = "--client-listen", paramLabel = "<host:port>", description = "Client TLS listener (default 0.0.0.0:7443).")
    String clientListen;

    @Option(names = "--advertised-endpoint", paramLabel = "<host:port>", description = "Endpoint clients are told to use.")
    String advertisedEndpoint;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Event line format.")
    String logFormat;

    @Override
    public Integer call() {
        PortunusMain.migrationSucceeded();
        Event.of(EventName.SERVE_READY)
                .with("operator_http_listen", System.getProperty("quarkus.http.host", "?") + ":"
                        + System.getProperty("quarkus.http.port", "?"))
                .with("pid", ProcessHandle.current().pid())
                .info();
        // An operator's SIGTERM (docker stop, kubectl delete) is a clean stop, not a crash: exit 0
        // after the orderly shutdown instead of the JVM's default 143.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> Quarkus.asyncExit(0));
        }
        Quarkus.waitForExit();
        Event.of(EventName.SERVE_STOPPED).with("pid", ProcessHandle.current().pid()).info();
        return 0;
    }
}
