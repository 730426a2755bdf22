package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.ops.StoreAccess;
import dev.portunus.ops.legacy.LegacyFile;
import dev.portunus.ops.legacy.LegacyFiles;
import dev.portunus.ops.legacy.LegacyImport;
import dev.portunus.ops.legacy.RefusalReason;
import dev.portunus.ops.legacy.ReportEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import-legacy} (05-legacy.md): carries the state files of a pre-SQLite server
 * ({@code tokens.json}, {@code identity.json}, {@code rules.json}) into an empty store, in one
 * transaction. Every report line goes to stderr as an {@code event=} line (skips, warnings, the
 * summary, the id mappings; never a hash, token or label); on success the store's path goes to stdout.
 *
 * <p>Exit codes (§7.6): 0 imported (with or without skips) or a clean dry run; 1 refused (a file-level
 * check, a non-empty store, nothing to import, {@code --strict} with skips); 2 usage (a named file or
 * {@code --from} directory that is not there); 75 the store is in use; 78 as every store command.
 */
@Command(name = "import-legacy", description = "Import the JSON state files of a pre-SQLite server into an empty store "
        + "(one transaction; the legacy files are only read).")
public class ImportLegacyCommand extends StoreCommand {

    @Option(names = "--from", paramLabel = "<dir>",
            description = "Directory holding tokens.json, identity.json and rules.json (default: the data-dir).")
    Path from;

    @Option(names = "--tokens", paramLabel = "<file>", description = "tokens.json kept elsewhere (overrides the one in --from).")
    Path tokens;

    @Option(names = "--identity", paramLabel = "<file>",
            description = "identity.json kept elsewhere, e.g. the old server.toml's operator_store_path.")
    Path identity;

    @Option(names = "--rules", paramLabel = "<file>", description = "rules.json kept elsewhere.")
    Path rules;

    @Option(names = "--dry-run", description = "Run every check and print the full report; write nothing.")
    boolean dryRun;

    @Option(names = "--strict", description = "Refuse (write nothing) when any record would be skipped.")
    boolean strict;

    @Override
    public Integer call() {
        Path dataDir = dataDir();
        LegacyFiles legacy = legacyFiles(dataDir);
        LegacyImport.Result r = LegacyImport.run(files(), legacy, dryRun, strict);
        for (ReportEvent line : r.plan().report(strict)) {
            Event e = line.toEvent();
            if (line.event() == EventName.CLI_IMPORT_REFUSED) {
                explain(e, line, legacy);
            }
            e.emit(line.level());
        }
        if (!r.plan().writable(strict)) {
            return Refusal.GENERIC;
        }
        if (r.written()) {
            out().println(r.db());
            out().flush();
        } else {
            Event.of(EventName.CLI_IMPORT_DRY_RUN).with("path", r.db())
                    .hint("dry run: nothing was written; run again without --dry-run to import (client and rule ids "
                            + "are minted anew then)").info();
        }
        return 0;
    }

    /** The files to import: those in {@code --from} (default the data-dir), each replaced by its own flag if given. */
    private LegacyFiles legacyFiles(Path dataDir) {
        Path dir = from != null ? from.toAbsolutePath() : dataDir;
        LegacyFiles found;
        if (Files.isDirectory(dir)) {
            try {
                found = LegacyFiles.in(dir);
            } catch (IOException e) {
                throw StoreAccess.ioFailure(dir, e, EventName.CLI_IMPORT_REFUSED, Refusal.GENERIC,
                        "nothing was written");
            }
        } else if (from != null) {
            throw usage("--from", dir, "not a directory");
        } else {
            found = new LegacyFiles(null, null, null, List.of()); // no data-dir yet: nothing in it to import
        }
        if (tokens != null) {
            found = found.withTokens(requireFile("--tokens", tokens));
        }
        if (identity != null) {
            found = found.withIdentity(requireFile("--identity", identity));
        }
        if (rules != null) {
            found = found.withRules(requireFile("--rules", rules));
        }
        return found;
    }

    private static Path requireFile(String flag, Path file) {
        Path abs = file.toAbsolutePath();
        if (!Files.isRegularFile(abs)) {
            throw usage(flag, abs, Files.exists(abs) ? "not a regular file" : "no such file");
        }
        return abs;
    }

    private static Refusal usage(String flag, Path path, String reason) {
        return new Refusal(Refusal.USAGE, Event.of(EventName.CLI_IMPORT_REFUSED).with("flag", flag).with("path", path)
                .with("reason", reason).hint("name an existing path (see --help); nothing was written"));
    }

    /** Adds to a refusal line of the report the full path of the file and what to do about it. */
    private void explain(Event e, ReportEvent line, LegacyFiles legacy) {
        Object file = line.get("file");
        for (LegacyFile f : LegacyFile.values()) {
            if (f.fileName().equals(file)) {
                e.with("path", legacy.path(f));
            }
        }
        String reason = String.valueOf(line.get("reason"));
        if (RefusalReason.NOTHING_TO_IMPORT.code().equals(reason)) {
            e.with("from", from != null ? from.toAbsolutePath() : dataDir());
            e.hint("none of tokens.json, identity.json, rules.json is there: point --from at the old server's config "
                    + "dir, or name the files with --tokens/--identity/--rules; nothing was written");
        } else if (RefusalReason.RECORDS_SKIPPED.code().equals(reason)) {
            e.hint("--strict refuses any skipped record and nothing was written: fix the records named above, or run "
                    + "without --strict to import the rest");
        } else {
            e.hint("the legacy server could not have loaded this file either: repair it (or take it from a backup) and "
                    + "rerun; nothing was written");
        }
    }
}
