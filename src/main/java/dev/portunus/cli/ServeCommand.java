package dev.portunus.cli;

import dev.portunus.config.DataDirResolver;
import dev.portunus.config.Launch;
import dev.portunus.config.Mode;
import dev.portunus.config.Setting;
import dev.portunus.config.SettingsCheck;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.ops.MigrationGuard;
import dev.portunus.ops.ServeStartupChecks;
import dev.portunus.ops.StoreInspection;
import io.quarkus.runtime.Quarkus;
import java.net.BindException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: records the {@link Launch} (the one way settings reach the beans), runs the
 * startup checks of 01-store.md §2 before anything listens or migrates (Quarkus' static
 * initialisation beside them, {@link StaticInit}), migrates the store when it is behind this binary
 * ({@link MigrationGuard}), then boots Quarkus, which opens the operator and client listeners.
 * Its flags are added from the {@link Setting} catalogue by {@link Commands}. Never returns: the
 * process exits with 0 after SIGTERM, or with the code of the refusal that stopped it.
 */
@Command(name = "serve", description = "Run the startup checks, then the operator HTTP API and the client listener.")
public class ServeCommand implements Callable<Integer> {

    /**
     * Quarkus checks the request target before its router and answers a bare 400 (no error
     * envelope) when it is not a valid URI. This switches that check off; api/RequestGate makes the
     * same check as the router's first handler and answers 400 {@code malformed_uri} in the
     * envelope. Read once when Quarkus' HTTP recorder class loads, so it must be set before boot
     * (the test JVM gets it from surefire's configuration in pom.xml).
     */
    private static final String OWN_URI_CHECK = "vertx.disableURIValidation";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StaticInit staticInit = StaticInit.begin();
        Map<String, String> env = System.getenv();
        Path dataDir = DataDirResolver.resolve(((PortunusCommand) spec.root().userObject()).dataDir, env);
        ServeStartupChecks.checkDataDir(dataDir);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            OptionSpec option = s.flag() == null ? null : spec.findOption(s.flag());
            if (option != null && option.getValue() != null) {
                flags.put(s, option.getValue());
            }
        }
        Map<Setting, String> effective = SettingsCheck.effective(dataDir, env, flags);
        Event.useJson("json".equals(effective.get(Setting.LOG_FORMAT)));
        if (effective.containsKey(Setting.BACKUP_DIR)) {
            ServeStartupChecks.checkBackupDir(Path.of(effective.get(Setting.BACKUP_DIR)),
                    "true".equals(effective.get(Setting.BACKUP_DIR_ALLOW_NETWORK)), dataDir);
        }
        Launch.set(new Launch(Mode.SERVE, dataDir, flags, effective));
        System.setProperty(OWN_URI_CHECK, "true");
        staticInit.proceed();
        ServeStartupChecks.checkStore(dataDir).migrate();
        Throwable failed = staticInit.await();
        if (failed != null) {
            exit(1, failed);
        }
        Quarkus.run(ServeApplication.class, ServeCommand::exit);
        return 0; // not reached: the exit handler ends the process
    }

    /**
     * Quarkus' static initialisation ({@code ApplicationImpl}'s class initialiser: configuration,
     * CDI container, REST deployment), run on its own thread while the store checks and the
     * migration run, so that a store's {@code quick_check} no longer adds to it (0.04-0.1 s of a
     * 329 MB store's start, measured interleaved on 2 cores, where it competes with the JIT;
     * bench/RESULTS.md, issue 10). It opens no listener and no connection and
     * reads no setting of this launch: those come with {@code Quarkus.run}'s runtime start, which
     * waits for the checks' verdict as before. A store the checks refuse exits while it may still
     * run; it leaves nothing behind.
     *
     * <p>The thread starts with {@code serve} ({@link #begin}) and first initialises SLF4J, beside
     * the settings check: a thread that asks SLF4J for a logger while another is still initialising
     * it gets a substitute logger, loses what it logs meanwhile and prints SLF4J's warning on stderr
     * (Netty's loggers on this thread, the SQLite driver's on the main one). So the main thread
     * opens no store before SLF4J is ready, and the class initialiser waits for {@link #proceed},
     * after the launch is recorded. ServeStartLoggingIT pins it.
     */
    private static final class StaticInit {

        private final Thread thread;
        private final CountDownLatch loggingReady = new CountDownLatch(1);
        private final CountDownLatch go = new CountDownLatch(1);
        private volatile Throwable failure;

        private StaticInit() {
            thread = new Thread(this::run, "quarkus-static-init");
            thread.setDaemon(true);
        }

        static StaticInit begin() {
            // Quarkus.run sets these before it loads the application; static initialisation may read them.
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
            System.setProperty("java.util.concurrent.ForkJoinPool.common.threadFactory",
                    "io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory");
            StaticInit init = new StaticInit();
            init.thread.start();
            return init;
        }

        /** Waits until SLF4J is ready, then lets the class initialiser run. */
        void proceed() {
            awaitQuietly(loggingReady);
            go.countDown();
        }

        private void run() {
            try {
                LoggerFactory.getILoggerFactory();
            } catch (Throwable e) {
                failure = e;
            } finally {
                loggingReady.countDown();
            }
            if (failure != null || !awaitQuietly(go)) {
                return;
            }
            try {
                Class.forName("io.quarkus.runner.ApplicationImpl", true, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                // Not a packaged application (an IDE run): Quarkus.run initialises it as usual.
            } catch (Throwable e) {
                failure = e;
            }
        }

        private static boolean awaitQuietly(CountDownLatch latch) {
            try {
                latch.await();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Waits for it; the failure that stopped it, or null. */
        Throwable await() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            }
            return failure;
        }
    }

    /** How a {@code serve} process ends: 0, or the refusal for what stopped the boot, by cause. */
    private static void exit(Integer code, Throwable failure) {
        if (failure == null) {
            System.exit(code == null ? 0 : code);
            return;
        }
        Refusal refusal = Causes.find(failure, Refusal.class);
        if (refusal == null && (Causes.find(failure, BindException.class) != null
                || Causes.rootMessage(failure).contains("already bound"))) {
            refusal = new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_LISTEN_FAILED)
                    .with("reason", Causes.rootMessage(failure))
                    .hint("another process already listens there: stop it, or choose another address with "
                            + "--operator-http-listen / --client-listen; nothing in the store was changed"));
        }
        SQLException sql = Causes.find(failure, SQLException.class);
        Launch launch = Launch.current();
        if (refusal == null && sql != null && launch != null) {
            refusal = StoreInspection.sqliteFailure(launch.dataDir().resolve("state.db"), sql,
                    StoreInspection.Judgement.liveStore());
        }
        if (refusal != null) {
            System.exit(refusal.report());
            return;
        }
        Event.of(EventName.STARTUP_FAILED).with("reason", Causes.rootMessage(failure))
                .with("error", Causes.root(failure).getClass().getName())
                .hint("nothing in the store was changed by this failure; if the reason does not say what to fix, "
                        + "report it with this line").error();
        System.exit(1);
    }
}
