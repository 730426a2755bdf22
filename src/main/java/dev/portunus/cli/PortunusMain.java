package dev.portunus.cli;

import dev.portunus.config.ServerSettings;
import dev.portunus.config.Settings;
import dev.portunus.config.SettingsLoader;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.Refusal;
import dev.portunus.store.DataDirResolver;
import dev.portunus.store.MigrationGuard;
import dev.portunus.store.ServeStartupChecks;
import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import org.flywaydb.core.api.FlywayException;

/**
 * The process entry point. Decides, before Quarkus boots, what kind of process this is: {@code serve}
 * runs the startup checks of 01-store.md §2 here, so that a refused store never sees a listener or
 * a migration; every other command boots without HTTP and without migrating.
 */
@QuarkusMain
public class PortunusMain {

    private static volatile MigrationGuard migrationGuard = MigrationGuard.none();

    /**
     * Quarkus checks the request target before its router and answers a bare 400 (no error
     * envelope) when it is not a valid URI. This switches that check off; api/RequestGate makes the
     * same check as the router's first handler and answers 400 {@code malformed_uri} in the
     * envelope. Read once when Quarkus' HTTP recorder class loads, so it must be set before boot
     * (the test JVM gets it from surefire's configuration in pom.xml).
     */
    private static final String OWN_URI_CHECK = "vertx.disableURIValidation";

    public static void main(String... args) {
        LaunchArgs launch = LaunchArgs.parse(args);
        try {
            if (launch.isServe()) {
                prepareServe(launch);
            } else {
                prepareCommand(launch);
            }
        } catch (Refusal refusal) {
            System.exit(refusal.report());
            return;
        }
        Quarkus.run(PicocliRunner.class, PortunusMain::exit, args);
    }

    /** Called by {@code serve} once Quarkus is up: the migration went through. */
    static void migrationSucceeded() {
        migrationGuard.committed();
    }

    private static void prepareServe(LaunchArgs launch) {
        Path dataDir = DataDirResolver.resolve(launch.dataDirFlag(), System.getenv());
        ServeStartupChecks.checkDataDir(dataDir);
        ServerSettings settings = SettingsLoader.load(dataDir, System.getenv(), launch.settingFlags());
        Settings.handOver(settings);
        Event.useJson(settings.logFormat() == ServerSettings.LogFormat.JSON);
        migrationGuard = ServeStartupChecks.checkStore(dataDir);
        System.setProperty("portunus.data-dir", dataDir.toString());
        System.setProperty("quarkus.http.host", settings.operatorHttpListen().host());
        System.setProperty("quarkus.http.port", Integer.toString(settings.operatorHttpListen().port()));
        System.setProperty("portunus.client-listen", settings.clientListen().toString());
        System.setProperty("quarkus.flyway.migrate-at-start", "true");
        System.setProperty("portunus.serve", "true");
        System.setProperty(OWN_URI_CHECK, "true");
    }

    private static void prepareCommand(LaunchArgs launch) {
        // Command mode never listens: a backup beside a running serve must not fight for its port.
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.flyway.migrate-at-start", "false");
        System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
        if ("client".equals(launch.command())) {
            return; // portunus-client needs no store: it resolves no data-dir and never opens the pool
        }
        try {
            Path dataDir = DataDirResolver.resolve(launch.dataDirFlag(), System.getenv());
            System.setProperty("portunus.data-dir", dataDir.toString());
        } catch (Refusal unresolved) {
            // Only commands that touch a store need it; they refuse with the same event later.
        }
    }

    private static void exit(Integer code, Throwable failure) {
        if (failure == null) {
            System.exit(code == null ? 0 : code);
            return;
        }
        Refusal refusal = Causes.find(failure, Refusal.class);
        if (refusal == null && Causes.find(failure, FlywayException.class) != null) {
            refusal = migrationGuard.failed(failure);
        }
        if (refusal != null) {
            System.exit(refusal.report());
            return;
        }
        Event.of("startup.failed").with("reason", Causes.rootMessage(failure))
                .with("error", Causes.root(failure).getClass().getName())
                .hint("see the lines above; nothing in the store was changed by this failure").error();
        System.exit(1);
    }
}
