package dev.portunus.cli;

import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import sun.misc.Signal;

/**
 * The running {@code serve}: by the time this runs, the launcher has done the startup checks and
 * the migration, and Quarkus has opened the listeners. It waits for SIGTERM; shutdown (audit
 * drain, WAL checkpoint, lock release) happens in the beans' shutdown observers.
 */
public class ServeApplication implements QuarkusApplication {

    @Inject
    PortunusConfig config;

    @Override
    public int run(String... args) {
        Event.of(EventName.SERVE_READY)
                .with("operator_http_listen", config.settings().operatorHttpListen())
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
