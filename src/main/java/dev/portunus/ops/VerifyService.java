package dev.portunus.ops;

import dev.portunus.audit.AuditRepository;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.store.Handle;
import dev.portunus.store.SqliteFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a backup artefact without touching any data-dir: header, {@code integrity_check},
 * {@code foreign_key_check}, the {@code .sha256} sidecar when present, and the schema version.
 * {@code restore} runs the same checks before it copies anything.
 */
public final class VerifyService {

    public record Summary(Path artefact, int schemaVersion, Map<String, Long> rowCounts,
            Optional<String> auditFirst, Optional<String> auditLast, boolean checksumChecked) {
    }

    private VerifyService() {
    }

    public static Summary verify(Path artefact) {
        Path file = artefact.toAbsolutePath().normalize();
        StoreInspection.Judgement judgement = StoreInspection.Judgement.artefact();
        if (!Files.isRegularFile(file)) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", file)
                    .with("reason", "no such file").hint("check the --in path"));
        }
        StoreAccess.requireReadableArtefact(file);
        StoreInspection.requireNoLiveSidecar(file);
        boolean checksumChecked = checkSidecar(file);
        int schemaVersion = StoreInspection.inspect(file, judgement);
        StoreInspection.requireSupportedVersion(schemaVersion, file);
        if (schemaVersion == 0) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", file)
                    .with("reason", "a SQLite file without Portunus schema history (flyway_schema_history)")
                    .hint("pass a file written by 'portunus-server backup'"));
        }
        try (Connection c = SqliteFile.openReadOnly(file)) {
            Map<String, Long> counts = SqliteFile.rowCounts(c);
            Handle h = new Handle(c);
            Optional<String> first = AuditRepository.oldestTs(h);
            Optional<String> last = AuditRepository.newestTs(h);
            return new Summary(file, schemaVersion, counts, first, last, checksumChecked);
        } catch (SQLException e) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", file)
                    .with("reason", e.getMessage()).hint(judgement.hint()), e);
        }
    }

    /** Compares the {@code .sha256} sidecar when there is one; a mismatch is a refusal. */
    private static boolean checkSidecar(Path file) {
        Path sidecar = Sha256.sidecarOf(file);
        if (!Files.exists(sidecar)) {
            return false;
        }
        try {
            String expected = Sha256.parseSumFile(Files.readString(sidecar, StandardCharsets.US_ASCII));
            if (expected == null) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", sidecar)
                        .with("reason", "checksum file is not in sha256sum format")
                        .hint("remove or fix " + sidecar));
            }
            String actual = Sha256.ofFile(file);
            if (!expected.equals(actual)) {
                throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", file)
                        .with("reason", "sha256 mismatch: expected " + expected + ", got " + actual)
                        .hint("the artefact changed after the backup was taken; use another backup"));
            }
            return true;
        } catch (IOException e) {
            throw new Refusal(Refusal.GENERIC, Event.of(EventName.CLI_ARTEFACT_INVALID).with("path", file)
                    .with("reason", e.getMessage()).hint("check the file's permissions"), e);
        }
    }
}
