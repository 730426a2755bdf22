package dev.portunus.maintenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.InputStream;
import java.util.List;

/** Wire shapes of {@code /v1/backups} (07-scheduled-backups.md §4); times are RFC 3339 UTC, sizes bytes. */
public final class BackupJson {

    private BackupJson() {
    }

    /** {@code POST /v1/backups} → 201. */
    @JsonPropertyOrder({"name", "bytes", "sha256", "schema_version", "created_at", "verified"})
    public record Created(String name, long bytes, String sha256, int schemaVersion, String createdAt, boolean verified) {
    }

    /** One artefact of {@code GET /v1/backups}. */
    @JsonPropertyOrder({"name", "bytes", "sha256", "created_at"})
    public record Artefact(String name, long bytes, String sha256, String createdAt) {
    }

    /** The schedule block: every field null while there is no backup_dir (or nothing happened yet). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"last_success_at", "last_failure_at", "last_failure_reason", "next_run_at"})
    public record Schedule(String lastSuccessAt, String lastFailureAt, String lastFailureReason, String nextRunAt) {
    }

    /**
     * A streamed answer ({@code GET /v1/backups/{name}}, {@code GET /v1/snapshot}): the file name for
     * {@code Content-Disposition}, {@code Content-Length}, {@code X-Portunus-Sha256}, and the open body,
     * which the writer closes. Never serialised as JSON.
     */
    public record Download(String name, long bytes, String sha256, InputStream body) {
    }

    /** {@code GET /v1/backups}: artefacts newest first. */
    @JsonPropertyOrder({"backups", "schedule"})
    public record Listing(List<Artefact> backups, Schedule schedule) {
    }
}
