package dev.portunus.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The artefact-name grammar of a backup directory (07-scheduled-backups.md §7): only names the product
 * gives are listed, pruned and counted when naming the next artefact; foreign look-alikes, including
 * ones whose numbers would overflow, are left alone and break nothing.
 */
class BackupDirectoryTest {

    static final String STAMP = "20260101T000000Z";
    static final String SHA = "0".repeat(64);

    Path dir;

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dir);
    }

    private Path artefact(String name) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "x");
        Files.writeString(Sha256.sidecarOf(p), SHA + "  " + name + "\n", StandardCharsets.US_ASCII);
        return p;
    }

    @Test
    void foreignLookAlikesAreNeitherListedNorPrunedNorCountedAndNeverOverflow() throws Exception {
        dir = TestFiles.tempDir("backup-dir-");
        artefact("portunus-state-" + STAMP + ".db");
        artefact("portunus-state-" + STAMP + "-2.db");
        List<String> foreign = List.of("portunus-state-" + STAMP + "-99999999999.db", "portunus-state-" + STAMP + "-007.db",
                "portunus-state-" + STAMP + "-1.db", "portunus-state-" + STAMP + "-0.db");
        for (String name : foreign) {
            artefact(name);
        }
        Files.writeString(dir.resolve(".portunus-state-" + STAMP + ".db.tmp-999999999999999999999"), "x");

        assertEquals(List.of("portunus-state-" + STAMP + "-2.db", "portunus-state-" + STAMP + ".db"),
                BackupDirectory.list(dir).stream().map(BackupDirectory.Artefact::name).toList());
        assertEquals(2, BackupDirectory.highestSuffix(dir, STAMP));
        assertEquals(dir.resolve("portunus-state-" + STAMP + "-3.db"),
                BackupService.stampedName(dir, Instant.parse("2026-01-01T00:00:00Z"), 1));
        assertEquals(List.of(), BackupDirectory.removeStaleTemporaries(dir));

        assertEquals(List.of("portunus-state-" + STAMP + ".db"), BackupDirectory.prune(dir, 1, null));
        for (String name : foreign) {
            assertTrue(Files.exists(dir.resolve(name)), name);
            assertFalse(BackupDirectory.isArtefactName(name), name);
        }
        assertTrue(BackupDirectory.isArtefactName("portunus-state-" + STAMP + "-123456789.db"));
    }
}
