package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.crypto.Ulid;
import dev.portunus.ops.legacy.ImportPlan.Notice;
import dev.portunus.ops.legacy.ImportPlan.Warning;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Plans {@code import-legacy} (05-legacy.md): reads the legacy files, runs every check of §7 and
 * maps what passes onto our schema (§6), without touching any store. The command that wires it in
 * takes the lock, checks the store is empty, writes {@link ImportPlan#rows()} in one transaction and
 * prints {@link ImportPlan#report(boolean)}.
 *
 * <p>Each present file is read once, completely, and checked (§7.2) before any record is looked at;
 * the first file that fails (in the order tokens, identity, rules) refuses the whole import. Then
 * the records go through §7.3 kind by kind: clients, users, credentials, grants, rules.
 *
 * <p>Stateless and thread-safe; new client and rule ids are random, so two plans of the same files
 * differ in those ids only.
 */
public final class LegacyImportPlanner {

    /** §7.2 {@code too_large}: a file over 256 MiB is refused unread. */
    public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private final long maxFileBytes;
    private final LongFunction<String> newId;

    /** The planner of the contract: 256 MiB limit, new ids from {@link Ulid#at}. */
    public LegacyImportPlanner() {
        this(MAX_FILE_BYTES, Ulid::at);
    }

    /**
     * @param maxFileBytes the {@code too_large} limit (tests lower it)
     * @param newId        makes a new client or rule id whose time part is the given epoch milliseconds
     */
    LegacyImportPlanner(long maxFileBytes, LongFunction<String> newId) {
        this.maxFileBytes = maxFileBytes;
        this.newId = newId;
    }

    /**
     * Plans the import of {@code files}.
     *
     * @return a plan with a {@link ImportPlan#refusal()} when no file is present ({@code nothing_to_import})
     *         or a file fails §7.2; otherwise the rows, skips, warnings and mappings
     * @throws IOException when a present file cannot be read (missing, unreadable): not a §7.2 outcome,
     *                     the caller reports it as the I/O failure it is
     */
    public ImportPlan plan(LegacyFiles files) throws IOException {
        List<Notice> notices = new ArrayList<>();
        JsonNode[] roots = new JsonNode[LegacyFile.values().length];
        boolean any = false;
        for (LegacyFile file : LegacyFile.values()) {
            Path path = files.path(file);
            if (path == null) {
                continue;
            }
            any = true;
            LegacyJsonReader.Result read = LegacyJsonReader.read(path, maxFileBytes);
            RefusalReason refusal = read.refusal() != null ? read.refusal() : shape(file, read.root());
            if (refusal != null) {
                return ImportPlan.refused(file.fileName(), refusal);
            }
            if (read.bomStripped()) {
                notices.add(fileWarning(file.fileName(), WarningCode.UTF8_BOM_STRIPPED));
            }
            unknownTopLevel(file, read.root(), notices);
            roots[file.ordinal()] = read.root();
        }
        if (!any) {
            return ImportPlan.refused(null, RefusalReason.NOTHING_TO_IMPORT);
        }
        for (Path temp : files.leftoverTempFiles()) {
            notices.add(fileWarning(temp.getFileName().toString(), WarningCode.LEFTOVER_TEMP_FILE));
        }

        JsonNode tokens = roots[LegacyFile.TOKENS.ordinal()];
        JsonNode rulesRoot = roots[LegacyFile.RULES.ordinal()];
        boolean dump = rulesRoot != null && rulesRoot.isArray();
        ClientRecords clients = new ClientRecords(tokens == null ? null : tokens.get("tokens"), newId);
        IdentityRecords identity = new IdentityRecords(roots[LegacyFile.IDENTITY.ordinal()], clients);
        RuleRecords rules = new RuleRecords(dump || rulesRoot == null ? rulesRoot : rulesRoot.get("rules"), dump,
                clients, identity, newId);

        clients.section.report(notices);
        identity.users.report(notices);
        identity.credentials.report(notices);
        identity.grants.report(notices);
        rules.section.report(notices);
        boolean superadmin = identity.enabledSuperadmin();
        if (!superadmin) {
            notices.add(new Warning(LegacyFile.IDENTITY.fileName(), RecordKind.USER, null, null,
                    WarningCode.NO_SUPERADMIN_IMPORTED, List.of()));
        }

        ImportPlan.Rows rows = new ImportPlan.Rows(identity.userRows(),
                clients.imported().stream().map(ClientRecords.Client::row).toList(), identity.credentialRows(),
                identity.grantRows(), rules.rows(), rules.targetRows());
        Map<String, String> clientIds = new LinkedHashMap<>();
        clients.imported().forEach(c -> clientIds.put(c.name(), c.id()));
        return new ImportPlan(null, rows, notices, new ImportPlan.Mappings(identity.renames(), clientIds, rules.ids()),
                superadmin);
    }

    /** The collections of each file's top-level object (§3, §4, §5.1); identity's may be absent. */
    private static List<String> collections(LegacyFile file) {
        return switch (file) {
            case TOKENS -> List.of("tokens");
            case IDENTITY -> List.of("users", "credentials", "grants");
            case RULES -> List.of("rules");
        };
    }

    /** §7.2 {@code invalid_shape}, {@code version_missing}, {@code unsupported_version}, in that order; null if fine. */
    private static RefusalReason shape(LegacyFile file, JsonNode root) {
        if (file == LegacyFile.RULES && root.isArray()) {
            return null;
        }
        if (!root.isObject()) {
            return RefusalReason.INVALID_SHAPE;
        }
        JsonNode version = root.get("version");
        if (version != null && !version.isIntegralNumber()) {
            return RefusalReason.INVALID_SHAPE;
        }
        for (String name : collections(file)) {
            JsonNode c = root.get(name);
            if (c == null ? file != LegacyFile.IDENTITY : !c.isArray()) {
                return RefusalReason.INVALID_SHAPE;
            }
        }
        if (version == null) {
            return RefusalReason.VERSION_MISSING;
        }
        return version.bigIntegerValue().equals(BigInteger.ONE) ? null : RefusalReason.UNSUPPORTED_VERSION;
    }

    private static void unknownTopLevel(LegacyFile file, JsonNode root, List<Notice> notices) {
        List<String> known = collections(file);
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("version") && !known.contains(name)) {
                notices.add(new Warning(file.fileName(), null, null, null, WarningCode.UNKNOWN_FIELD,
                        List.of(new ReportEvent.Field("field", name))));
            }
        }
    }

    private static Warning fileWarning(String file, WarningCode code) {
        return new Warning(file, null, null, null, code, List.of());
    }
}
