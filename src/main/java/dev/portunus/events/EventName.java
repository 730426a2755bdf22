package dev.portunus.events;

/**
 * Every {@code event=} name the product prints, in one place: operators and tests grep for them, so
 * a name is a contract and is never built at run time. {@link Event#of} takes only these.
 */
public enum EventName {

    // Startup checks of serve (01-store.md §2) and the store refusals commands share with it.
    STARTUP_CONFIG_INVALID("startup.config_invalid"),
    STARTUP_DATA_DIR_UNUSABLE("startup.data_dir_unusable"),
    STARTUP_EPHEMERAL_DATA_DIR("startup.ephemeral_data_dir"),
    STARTUP_FAILED("startup.failed"),
    STARTUP_FRESH_STORE("startup.fresh_store"),
    STARTUP_LEGACY_FILE_ALREADY_IMPORTED("startup.legacy_file_already_imported"),
    STARTUP_LEGACY_FILE_FOUND("startup.legacy_file_found"),
    STARTUP_LISTEN_FAILED("startup.listen_failed"),
    STARTUP_MIGRATION_FAILED("startup.migration_failed"),
    STARTUP_SCHEMA_VERSION_TOO_NEW("startup.schema_version_too_new"),
    STARTUP_SQLITE_UNAVAILABLE("startup.sqlite_unavailable"),
    STARTUP_STORE_CORRUPT("startup.store_corrupt"),
    STARTUP_STORE_IN_USE("startup.store_in_use"),
    STARTUP_STORE_MIGRATED("startup.store_migrated"),
    STARTUP_STORE_NOT_WRITABLE("startup.store_not_writable"),
    STARTUP_STORE_PERMISSION_DENIED("startup.store_permission_denied"),
    STARTUP_UNSUPPORTED_FILESYSTEM("startup.unsupported_filesystem"),
    STARTUP_BACKUP_DIR_SAME_FILESYSTEM("startup.backup_dir_same_filesystem"),
    STARTUP_BACKUP_DIR_UNUSABLE("startup.backup_dir_unusable"),

    // The life of a serve process.
    SERVE_CLIENT_LISTENER("serve.client_listener"),
    SERVE_READY("serve.ready"),
    SERVE_STOPPED("serve.stopped"),

    // Scheduled and API backups, audit retention inside serve (07-scheduled-backups.md).
    BACKUP_COMPLETE("backup.complete"),
    BACKUP_FAILED("backup.failed"),
    BACKUP_PRUNED("backup.pruned"),
    BACKUP_SKIPPED("backup.skipped"),
    AUDIT_RETENTION_PRUNED("audit.retention_pruned"),
    AUDIT_RETENTION_FAILED("audit.retention_failed"),

    // First-run onboarding (02-api.md).
    ONBOARDING_SETUP_TOKEN("onboarding.setup_token"),

    // Traffic accounting inside serve (06-traffic.md §2.2, §2.3).
    TRAFFIC_CLIENT_CLOCK_SKEW("traffic.client_clock_skew"),
    TRAFFIC_REPORT_REJECTED("traffic.report_rejected"),
    TRAFFIC_ROLLUP("traffic.rollup"),
    TRAFFIC_ROLLUP_FAILED("traffic.rollup_failed"),

    // The import-legacy report (05-legacy.md §7.6).
    IMPORT_RECORD_SKIPPED("import.record_skipped"),
    IMPORT_RECORD_WARNING("import.record_warning"),
    IMPORT_MAPPING("import.mapping"),

    // Command-mode results and refusals (01-store.md §4).
    CLI_ARTEFACT_INVALID("cli.artefact_invalid"),
    CLI_ARTEFACT_UNREADABLE("cli.artefact_unreadable"),
    CLI_AUDIT_PRUNE_COMPLETE("cli.audit_prune_complete"),
    CLI_AUDIT_PRUNE_DRY_RUN("cli.audit_prune_dry_run"),
    CLI_AUDIT_PRUNE_FAILED("cli.audit_prune_failed"),
    CLI_AUDIT_PRUNE_REFUSED("cli.audit_prune_refused"),
    CLI_BACKUP_COMPLETE("cli.backup_complete"),
    CLI_BACKUP_FAILED("cli.backup_failed"),
    CLI_BACKUP_NOT_RECORDED("cli.backup_not_recorded"),
    CLI_BACKUP_REFUSED("cli.backup_refused"),
    CLI_FAILED("cli.failed"),
    CLI_IMPORT_COMPLETE("cli.import_complete"),
    CLI_IMPORT_DRY_RUN("cli.import_dry_run"),
    CLI_IMPORT_FAILED("cli.import_failed"),
    CLI_IMPORT_REFUSED("cli.import_refused"),
    CLI_INVALID_TIMESTAMP("cli.invalid_timestamp"),
    CLI_PASSWORD_RESET("cli.password_reset"),
    CLI_RESET_COMPLETE("cli.reset_complete"),
    CLI_RESET_DRY_RUN("cli.reset_dry_run"),
    CLI_RESET_NOOP("cli.reset_noop"),
    CLI_RESET_PASSWORD_REFUSED("cli.reset_password_refused"),
    CLI_RESET_REFUSED("cli.reset_refused"),
    CLI_RESTORE_COMPLETE("cli.restore_complete"),
    CLI_RESTORE_FAILED("cli.restore_failed"),
    CLI_RESTORE_REFUSED("cli.restore_refused"),
    CLI_USER_ADD_REFUSED("cli.user_add_refused"),
    CLI_USER_ADDED("cli.user_added"),
    CLI_VERIFY_OK("cli.verify_ok");

    private final String id;

    EventName(String id) {
        this.id = id;
    }

    /** The name as printed, e.g. {@code startup.store_corrupt}. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
