package dev.portunus.ops.legacy;

import dev.portunus.audit.AuditEntry;
import dev.portunus.audit.AuditRepository;
import dev.portunus.auth.OnboardingRepository;
import dev.portunus.clients.ClientJson;
import dev.portunus.clients.ClientRepository;
import dev.portunus.credentials.CredentialJson;
import dev.portunus.credentials.CredentialRepository;
import dev.portunus.events.Causes;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.files.FileOps;
import dev.portunus.grants.GrantJson;
import dev.portunus.grants.GrantRepository;
import dev.portunus.ops.FilesystemGuard;
import dev.portunus.ops.StoreAccess;
import dev.portunus.ops.StoreInspection;
import dev.portunus.ops.StoreLock;
import dev.portunus.ops.legacy.ImportPlan.RuleRow;
import dev.portunus.rules.RuleJson;
import dev.portunus.rules.RuleRepository;
import dev.portunus.settings.SettingsRepository;
import dev.portunus.store.Handle;
import dev.portunus.store.Migrator;
import dev.portunus.store.Schema;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.store.StoreFiles;
import dev.portunus.store.Timestamps;
import dev.portunus.users.User;
import dev.portunus.users.UserRepository;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.FlywayException;

/**
 * {@code import-legacy} (05-legacy.md §7): checks a data-dir's store, plans the legacy files with
 * {@link LegacyImportPlanner} and writes the plan into the store in one {@code BEGIN IMMEDIATE}
 * transaction through the owning areas' repositories, together with the {@code legacy_imported_at}
 * setting and the one audit row of the import (§9 Q6, Q7).
 *
 * <p>Order: data-dir checks (nothing created), the store lock (75 while {@code serve} runs), the
 * store must be empty (§7.1), the files are read and planned, and only then, when the plan may be
 * written and this is no dry run, anything is created: the data-dir (0700), the lock, a new store
 * ({@link SqliteFile#createEmpty} and the migrations, as {@code restore} does). A refusal, a dry run
 * and a {@code --strict} refusal therefore leave the data-dir exactly as found, and so does a failure
 * while writing (whatever this run created is removed again). The legacy files are only read.
 */
public final class LegacyImport {

    /** The verb, as the lock refusal and the audit row name it. */
    public static final String VERB = "import-legacy";

    /**
     * The tables that must hold no row before an import: those of 05-legacy.md §7.1, the traffic
     * samples (they hang off users and clients) and the V2 traffic tables (06-traffic.md §2.6). What a
     * first {@code serve} leaves behind ({@code audit}, {@code login_attempts}, {@code onboarding_setup},
     * {@code server_settings}) is tolerated.
     */
    public static final List<String> MUST_BE_EMPTY = List.of("users", "credentials", "grants", "client_tokens",
            "client_enrollments", "rules", "rule_targets", "rate_limit_owner", "traffic_quotas", "web_sessions",
            "traffic_samples_1m", "traffic_samples_1h", "traffic_report_state", "traffic_counters",
            "traffic_rollup_state");

    /** The audit row of an import (§9 Q7): actor {@code _import}, method {@code CLI}, path {@code import-legacy}. */
    static final String AUDIT_ACTOR = "_import";
    static final String AUDIT_METHOD = "CLI";

    /**
     * What a run did: the plan (its report is the command's output), whether its rows were written,
     * and the store they were (or would have been) written to.
     */
    public record Result(ImportPlan plan, boolean written, Path db) {
    }

    private LegacyImport() {
    }

    /**
     * Runs the import of {@code legacy} into the store of {@code files}.
     *
     * @param dryRun run every check and plan, write nothing
     * @param strict refuse (write nothing) when any record would be skipped
     * @return the plan and whether it was written; not written when the plan carries a refusal, when
     *         {@code strict} and something was skipped, or on a dry run
     * @throws Refusal exit 75 while another process holds the store; exit 1 {@code cli.import_refused
     *         reason=store_not_empty} naming the store and its filled tables; exit 1 for an unreadable
     *         legacy file and {@code cli.import_failed} for a failed write (nothing written); exit 78
     *         for an unusable data-dir, a corrupt store, a newer schema or a failed migration
     */
    public static Result run(StoreFiles files, LegacyFiles legacy, boolean dryRun, boolean strict) {
        requireUsableDataDir(files);
        if (StoreLock.heldElsewhere(files)) {
            throw StoreLock.inUse(files, VERB);
        }
        if (storeExists(files)) {
            requireEmptyLeavingNoTrace(files);
        }
        ImportPlan plan = plan(legacy);
        if (dryRun || !plan.writable(strict)) {
            return new Result(plan, false, files.db());
        }
        write(files, plan);
        return new Result(plan, true, files.db());
    }

    /** The data-dir checks that create nothing: a directory this process may use, on a local filesystem. */
    private static void requireUsableDataDir(StoreFiles files) {
        Path dir = files.dataDir();
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_DATA_DIR_UNUSABLE).with("path", dir)
                        .with("reason", "exists but is not a directory")
                        .hint("point --data-dir (or PORTUNUS_DATA_DIR) at a directory; nothing was written"));
            }
            StoreAccess.requireReadWrite(files);
        }
        FilesystemGuard.requireLocal(dir);
    }

    private static boolean storeExists(StoreFiles files) {
        try {
            return !StoreInspection.isEmptyFile(files.db());
        } catch (IOException e) {
            throw StoreAccess.storeFailure(files.db(), e);
        }
    }

    /**
     * Looks into an existing store under the lock (it must be sound, not newer than this binary and
     * empty) and leaves no trace: a lock file this created is removed, and so are the sidecars.
     */
    private static void requireEmptyLeavingNoTrace(StoreFiles files) {
        boolean lockExisted = Files.exists(files.lock());
        try (StoreLock lock = StoreLock.acquire(files, VERB)) {
            try {
                StoreInspection.requireSupportedVersion(StoreInspection.inspect(files.db(),
                        StoreInspection.Judgement.liveStore()), files.db());
                List<String> filled = StoreInspection.readLive(files.db(),
                        h -> SqliteFile.tablesWithRows(h.connection(), MUST_BE_EMPTY));
                requireEmpty(files, filled);
            } catch (SQLException e) {
                throw StoreInspection.sqliteFailure(files.db(), e, StoreInspection.Judgement.liveStore());
            } finally {
                if (!lockExisted) {
                    FileOps.deleteQuietly(files.lock());
                }
            }
        }
    }

    private static void requireEmpty(StoreFiles files, List<String> filled) {
        if (!filled.isEmpty()) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_IMPORT_REFUSED).with("path", files.db())
                    .with("reason", "store_not_empty").with("tables", String.join(",", filled))
                    .hint("import-legacy only fills an empty store and nothing was written; if an earlier import "
                            + "filled this one, its state is already here; otherwise import into a new --data-dir, "
                            + "or take a 'backup' and 'reset --confirm' this one first"));
        }
    }

    private static ImportPlan plan(LegacyFiles legacy) {
        try {
            return new LegacyImportPlanner().plan(legacy);
        } catch (IOException e) {
            // The reader's failures (missing, unreadable) name their file; any other I/O error is rare.
            Path path = e instanceof FileSystemException fs && fs.getFile() != null ? Path.of(fs.getFile()) : null;
            throw StoreAccess.ioFailure(path, e, EventName.CLI_IMPORT_REFUSED, Refusal.GENERIC,
                    "the legacy file could not be read; nothing was written");
        }
    }

    /**
     * Creates what is missing (data-dir, lock, store), migrates, and writes the plan in one
     * transaction. On any failure the transaction rolls back and whatever this run created is
     * removed, so the data-dir is left as found.
     */
    private static void write(StoreFiles files, ImportPlan plan) {
        boolean dirExisted = Files.exists(files.dataDir());
        StoreAccess.ensureUsable(files.dataDir());
        boolean lockExisted = Files.exists(files.lock());
        boolean created = false;
        boolean committed = false;
        try (StoreLock lock = StoreLock.acquire(files, VERB)) {
            try {
                if (storeExists(files)) {
                    int version = StoreInspection.inspect(files.db(), StoreInspection.Judgement.liveStore());
                    StoreInspection.requireSupportedVersion(version, files.db());
                    if (version < Schema.LATEST_VERSION) {
                        Migrator.migrate(files.db());
                    }
                } else {
                    Files.deleteIfExists(files.db()); // a zero-byte file is no store (as serve treats it)
                    SqliteFile.createEmpty(files.db());
                    created = true;
                    Migrator.migrate(files.db());
                }
                try (Connection c = SqliteFile.openStore(files.db()); Handle bulk = Handle.reusingStatements(c)) {
                    Store.writeOn(bulk, h -> {
                        requireEmpty(files, SqliteFile.tablesWithRows(h.connection(), MUST_BE_EMPTY));
                        insert(h, plan);
                        return null;
                    });
                }
                committed = true;
            } catch (IOException e) {
                throw StoreAccess.ioFailure(files.db(), e, EventName.CLI_IMPORT_FAILED, Refusal.GENERIC,
                        "nothing was imported and the data-dir was left as it was");
            } catch (SQLException e) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_IMPORT_FAILED).with("path", files.db())
                        .with("reason", Causes.rootMessage(e))
                        .hint("the one transaction was rolled back: nothing was imported and the data-dir was left "
                                + "as it was; fix the cause and rerun"), e);
            } catch (FlywayException e) {
                throw new Refusal(Refusal.CONFIG, Event.of(EventName.STARTUP_MIGRATION_FAILED).with("path", files.db())
                        .with("to_version", Schema.LATEST_VERSION).with("reason", Causes.rootMessage(e))
                        .hint("nothing was imported; the store could not be migrated by this release"), e);
            } finally {
                if (!committed) {
                    if (created) {
                        FileOps.deleteQuietly(files.db(), files.wal(), files.shm());
                    }
                    if (!lockExisted) {
                        FileOps.deleteQuietly(files.lock());
                    }
                    if (!dirExisted) {
                        FileOps.deleteQuietly(files.dataDir()); // only if empty again; its parents stay
                    }
                }
            }
        }
    }

    /**
     * Every row of the plan, each table after the tables it references, then the onboarding reset,
     * the {@code legacy_imported_at} setting and the audit row, all on {@code h}'s transaction.
     */
    static void insert(Handle h, ImportPlan plan) throws SQLException {
        ImportPlan.Rows rows = plan.rows();
        for (ImportPlan.UserRow u : rows.users()) {
            UserRepository.insert(h, new User(u.id(), u.role(), u.displayName(), u.disabled() == 1, u.passwordHash(),
                    u.passwordChangeRequired() == 1, u.createdAt()));
        }
        for (ImportPlan.ClientTokenRow c : rows.clientTokens()) {
            ClientRepository.insert(h, new ClientJson.View(c.id(), c.displayName(), c.address(), false, c.issuedAt(),
                    c.revokedAt(), c.lastSeenAt()), c.tokenHash());
        }
        for (ImportPlan.CredentialRow c : rows.credentials()) {
            CredentialRepository.insert(h, new CredentialJson.View(c.id(), c.userId(), c.label(), c.status(),
                    c.issuedAt(), c.revokedAt(), c.lastUsedAt()), c.tokenHash());
        }
        for (ImportPlan.GrantRow g : rows.grants()) {
            GrantRepository.insert(h, new GrantJson.View(g.id(), g.userId(), g.client(), g.listenPortStart(),
                    g.listenPortEnd(), GrantRepository.protocolsList(g.protocols()), g.note(), g.createdAt()));
        }
        Map<String, List<RuleJson.Target>> targets = targetsByRule(rows.ruleTargets());
        for (RuleRow r : rows.rules()) {
            RuleRepository.insert(h, view(r, targets.getOrDefault(r.id(), List.of())));
        }
        if (plan.enabledSuperadmin()) {
            OnboardingRepository.clear(h); // onboarding closes anyway: a stale setup token must not outlive it
        }
        String now = Timestamps.now();
        SettingsRepository.putText(h, SettingsRepository.LEGACY_IMPORTED_AT, now, now);
        AuditRepository.append(h, new AuditEntry(System.nanoTime(), now, AUDIT_ACTOR, null, AUDIT_METHOD, VERB, "allow",
                plan.counts().summary(), null));
    }

    /** Each rule's targets in {@code idx} order; the repository numbers them by position. */
    private static Map<String, List<RuleJson.Target>> targetsByRule(List<ImportPlan.RuleTargetRow> rows) {
        Map<String, List<ImportPlan.RuleTargetRow>> grouped = new HashMap<>();
        rows.forEach(t -> grouped.computeIfAbsent(t.ruleId(), k -> new ArrayList<>()).add(t));
        Map<String, List<RuleJson.Target>> out = new HashMap<>();
        grouped.forEach((rule, list) -> {
            list.sort((a, b) -> Integer.compare(a.idx(), b.idx()));
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).idx() != i) {
                    throw new IllegalStateException("rule " + rule + " has target idx " + list.get(i).idx() + " at " + i);
                }
            }
            out.put(rule, list.stream().map(t -> new RuleJson.Target(t.host(), t.port(), t.priority(), t.proxyProtocol()))
                    .toList());
        });
        return out;
    }

    private static RuleJson.View view(RuleRow r, List<RuleJson.Target> targets) {
        RuleJson.RateLimit caps = new RuleJson.RateLimit(r.bandwidthInBps(), r.bandwidthOutBps(),
                r.newConnectionsPerSec(), r.concurrentConnections(), r.bandwidthInBurst(), r.bandwidthOutBurst(),
                r.newConnectionsBurst());
        return new RuleJson.View(r.id(), r.clientId(), r.ownerId(), r.listenPort(), r.listenPortEnd(), r.protocol(),
                r.targetHost(), r.targetPort(), r.targetPortEnd(), targets, r.preferIpv6() == 1,
                r.healthCheckIntervalSecs(), r.sniPattern(), caps, r.state(), r.createdAt(), r.updatedAt());
    }
}
