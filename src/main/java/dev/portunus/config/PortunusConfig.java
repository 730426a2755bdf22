package dev.portunus.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the beans of {@code serve} read from configuration, validated when Quarkus starts.
 * {@link #settings()} are the operator settings of {@link Setting} (their layering is described
 * there); the other groups are internal tunables with built-in defaults that tests override.
 */
@ConfigMapping(prefix = "portunus")
public interface PortunusConfig {

    /** The data-dir holding {@code state.db} (absolute). */
    Path dataDir();

    Settings settings();

    Audit audit();

    Backup backup();

    Session session();

    Throttle throttle();

    Traffic traffic();

    /** The operator settings (01-store.md §3a), one accessor per {@link Setting}. */
    interface Settings {

        @WithConverter(HostPortConverter.class)
        HostPort operatorHttpListen();

        @WithConverter(HostPortConverter.class)
        HostPort clientListen();

        /** Never logged; see {@link Setting#OPERATOR_TOKEN}. */
        Optional<String> operatorToken();

        @WithConverter(HostPortConverter.class)
        Optional<HostPort> advertisedEndpoint();

        Setting.LogFormat logFormat();

        /** Scheduled and API backups go here; empty: no schedule (07-scheduled-backups.md §1). */
        Optional<Path> backupDir();

        @WithConverter(SpanConverter.class)
        Duration backupInterval();

        int backupKeep();

        /** Empty: audit entries are kept forever. */
        @WithConverter(SpanConverter.class)
        Optional<Duration> auditRetention();

        boolean backupDirAllowNetwork();

        /** {@link Setting#TRAFFIC_RETENTION_1M_DAYS}. */
        @WithName("traffic-retention-1m-days")
        int trafficRetention1mDays();

        /** {@link Setting#TRAFFIC_RETENTION_1H_DAYS}. */
        @WithName("traffic-retention-1h-days")
        int trafficRetention1hDays();
    }

    /** Internal tunables of the backup schedule; not operator settings, not in README. */
    interface Backup {

        /**
         * Replaces {@code backup_interval} for tests that cannot wait a minute (e.g. {@code 3s}); the
         * operator setting's minimum stays 1m.
         */
        Optional<Duration> testInterval();

        /** Delay of a run that was due while serve was down (07 §2: within one minute of start). */
        @WithDefault("10S")
        Duration catchUpDelay();

        /** Delay of the first audit retention pass after start (07 §3: may finish after serve.ready). */
        @WithDefault("1S")
        Duration retentionStartDelay();
    }

    /** Traffic accounting (06-traffic.md). */
    interface Traffic {

        /** The rollup/retention job and the metric sweep; tests switch them off and run them by hand. */
        @WithDefault("true")
        boolean jobs();

        /** What a report's answer tells the client (06-traffic.md §2.2: 15, the client stays within 5–60). */
        @WithDefault("15")
        int reportIntervalSecs();

        /** Time between two frames of {@code GET /v1/rules/{id}/stats/stream}. */
        @WithDefault("5S")
        Duration statsStreamPeriod();

        /** Frames one stats stream sends before it ends (the browser's EventSource reconnects). */
        @WithDefault("120")
        int statsStreamFrames();
    }

    /** The audit writer (02-api.md "Audit"). */
    interface Audit {

        /** Off only for benchmarks comparing the cost of auditing. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Audit slots at once: entries queued or being written, and those reserved by audited requests
         * in flight. When all are taken, a request waits {@code admission-wait} for one, then is refused
         * with 503 {@code audit_backlog}; no entry is ever dropped while serving.
         */
        @WithDefault("10000")
        int queueCapacity();

        /** Entries per write transaction at most. */
        @WithDefault("256")
        int batchSize();

        /**
         * How long the writer waits for more entries before writing a batch that is not full (it
         * stops waiting once a full batch is queued); 02-api.md's example is ~50 ms.
         */
        @WithDefault("10ms")
        Duration batchLinger();

        /**
         * How long an audited request waits for room in the queue when the writer is behind, before it
         * is refused with 503 {@code audit_backlog} (it never goes unaudited).
         */
        @WithDefault("250ms")
        Duration admissionWait();
    }

    /** Web sessions (02-api.md "Authentication"). */
    interface Session {

        @WithDefault("30M")
        Duration idleTimeout();

        @WithDefault("12H")
        Duration absoluteTimeout();
    }

    /** Failure throttling of login, onboarding and password changes. */
    interface Throttle {

        @WithDefault("5")
        int maxFailures();

        @WithDefault("15M")
        Duration window();

        @WithDefault("15M")
        Duration lockout();
    }
}
