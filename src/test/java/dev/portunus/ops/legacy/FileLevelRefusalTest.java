package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portunus.crypto.Ulid;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file-level checks of 05-legacy.md §7.2. Every file under {@code legacy/malformed} is named
 * {@code <reason>--<case>.<legacy file name>} and must be refused with that reason, naming that file;
 * the cases that need large or generated input are written here.
 */
class FileLevelRefusalTest {

    static Stream<String> malformedFiles() throws IOException {
        try (Stream<Path> list = Files.list(Fixtures.resource("malformed"))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static void assertRefused(Path dir, String file, RefusalReason reason) throws IOException {
        assertRefused(new LegacyImportPlanner().plan(LegacyFiles.in(dir)), file, reason);
    }

    private static void assertRefused(ImportPlan plan, String file, RefusalReason reason) {
        assertEquals(new ImportPlan.Refusal(file, reason), plan.refusal());
        assertEquals(ImportPlan.Rows.NONE, plan.rows());
        assertEquals(List.of(), plan.notices());
        String line = "event=cli.import_refused " + (file == null ? "" : "file=" + file + " ") + "reason=" + reason.code();
        assertEquals(List.of(line), Fixtures.lines(plan.report(false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void eachMalformedFileIsRefusedWithItsReason(String name) throws IOException {
        RefusalReason reason = RefusalReason.valueOf(name.substring(0, name.indexOf("--")).toUpperCase());
        String legacyName = name.substring(name.lastIndexOf('.', name.length() - ".json".length() - 1) + 1);
        byte[] bytes = Files.readAllBytes(Fixtures.resource("malformed/" + name));
        ImportPlan plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith(legacyName, bytes)));
        assertEquals(new ImportPlan.Refusal(legacyName, reason), plan.refusal(), name);
        assertRefused(plan, legacyName, reason);
    }

    @Test
    void hundredThousandNestedArraysAreTooDeepWithoutOverflowingTheStack() throws IOException {
        int n = 100_000;
        String deep = "[".repeat(n) + "]".repeat(n);
        assertRefused(Fixtures.dirWith("tokens.json", deep), "tokens.json", RefusalReason.TOO_DEEP);
        String deepObjects = "{\"a\":".repeat(n) + "1" + "}".repeat(n);
        assertRefused(Fixtures.dirWith("rules.json", deepObjects), "rules.json", RefusalReason.TOO_DEEP);
        // Unterminated: still a depth question first, not a syntax one.
        assertRefused(Fixtures.dirWith("identity.json", "[".repeat(n)), "identity.json", RefusalReason.TOO_DEEP);
    }

    @Test
    void sixtyFourLevelsAreAllowed() throws IOException {
        // Object 1, users 2, then 62 more arrays: 64. Each user is an array, so each is skipped, not refused.
        String json = "{\"version\": 1, \"users\": [" + "[".repeat(62) + "]".repeat(62) + "]}";
        ImportPlan plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith("identity.json", json)));
        assertNull(plan.refusal());
        assertEquals(List.of(new ImportPlan.Skip("identity.json", RecordKind.USER, 0, null, SkipReason.INVALID_RECORD)),
                plan.skips());
    }

    @Test
    void bracketsInsideStringsDoNotCountAsDepth() throws IOException {
        String json = "{\"version\": 1, \"tokens\": [], \"note\": \"" + "[{".repeat(100) + "\\\"" + "[".repeat(100) + "\"}";
        ImportPlan plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith("tokens.json", json)));
        assertNull(plan.refusal());
    }

    @Test
    void aFileOver256MiBIsRefusedUnread() throws IOException {
        Path dir = TestFiles.tempDir("legacy-");
        try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("identity.json").toFile(), "rw")) {
            sparse.setLength(LegacyImportPlanner.MAX_FILE_BYTES + 1);
        }
        assertRefused(dir, "identity.json", RefusalReason.TOO_LARGE);
        TestFiles.deleteTree(dir);
    }

    @Test
    void theSizeLimitIsInclusive() throws IOException {
        String json = "{\"version\": 1, \"tokens\": []}";
        LegacyImportPlanner planner = new LegacyImportPlanner(json.length(), Ulid::at);
        assertNull(planner.plan(LegacyFiles.in(Fixtures.dirWith("tokens.json", json))).refusal());
        assertRefused(planner.plan(LegacyFiles.in(Fixtures.dirWith("tokens.json", json + " "))), "tokens.json",
                RefusalReason.TOO_LARGE);
    }

    @Test
    void noFileIsNothingToImport() throws IOException {
        Path dir = TestFiles.tempDir("legacy-");
        assertRefused(dir, null, RefusalReason.NOTHING_TO_IMPORT);
        // A leftover temp file is never read, so it does not count as a file to import.
        Files.writeString(dir.resolve("identity.json.tmp.1.2"), "{\"version\": 1}");
        assertRefused(dir, null, RefusalReason.NOTHING_TO_IMPORT);
    }

    @Test
    void theFirstFailingFileInImportOrderIsNamed() throws IOException {
        Path dir = Fixtures.dirWith("{\"version\": 1, \"tokens\": []}", "{\"version\": 1,}", "{\"version\": 2, \"rules\": []}");
        assertRefused(dir, "identity.json", RefusalReason.INVALID_JSON);
    }

    @Test
    void wellFormedVariantsAreAccepted() throws IOException {
        String crlf = "{\r\n  \"version\": 1,\r\n  \"tokens\": [\r\n    {\"client_name\": \"a\", \"token_hash\": \""
                + "ab".repeat(32) + "\", \"issued_at\": \"2025-01-01T00:00:00Z\"}\r\n  ]\r\n}\r\n";
        ImportPlan plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith("tokens.json", crlf)));
        assertEquals(1, plan.counts().clients());
        // Escaped pairs are fine; only lone surrogates are refused. Non-ASCII as is, escaped or not.
        String escapes = "{\"version\": 1, \"users\": [{\"id\": \"a\", \"display_name\": \"\\ud83d\\ude00 \u00e9\\u00e9\","
                + " \"role\": \"user\", \"created_at\": \"2025-01-01T00:00:00Z\"}]}";
        plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith("identity.json", escapes)));
        assertEquals("\ud83d\ude00 \u00e9\u00e9", plan.rows().users().get(0).displayName());
        // identity.json's collections may all be absent.
        plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith("identity.json", "{\"version\": 1}")));
        assertEquals(0, plan.counts().users());
        // A single UTF-8 BOM is stripped with a warning.
        byte[] bom = ("\ufeff{\"version\": 1, \"tokens\": []}").getBytes(StandardCharsets.UTF_8);
        plan = new LegacyImportPlanner().plan(LegacyFiles.in(Fixtures.dirWith("tokens.json", bom)));
        assertEquals(List.of(WarningCode.UTF8_BOM_STRIPPED, WarningCode.NO_SUPERADMIN_IMPORTED),
                plan.warnings().stream().map(ImportPlan.Warning::code).toList());
    }

    @Test
    void onlyTheFilesThatArePresentAreImported() throws IOException {
        ImportPlan plan = new LegacyImportPlanner().plan(new LegacyFiles(
                Fixtures.resource("valid-small/tokens.json"), null, null, List.of()));
        assertNull(plan.refusal());
        assertEquals(3, plan.counts().clients());
        assertEquals(List.of("event=import.record_warning file=identity.json kind=user code=no_superadmin_imported"),
                plan.warnings().stream().map(w -> w.toEvent().toString()).toList());
    }
}
