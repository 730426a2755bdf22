package dev.portunus.ops.legacy;

/** What happened to a record that is imported anyway, or to the import as a whole (05-legacy.md §7.4). */
public enum WarningCode implements Coded {
    UNKNOWN_FIELD,
    UTF8_BOM_STRIPPED,
    DUPLICATE_IDENTICAL,
    HASH_LOWERCASED,
    ID_UPPERCASED,
    USER_RENAMED,
    LEGACY_OPERATOR_TOKEN_USER,
    DISPLAY_NAME_SUBSTITUTED,
    PROTOCOL_ALIAS,
    TARGET_HOST_NORMALIZED,
    TARGET_PRIORITY_RERANKED,
    HEALTH_CHECK_ZERO_DROPPED,
    RULE_WAS_FAILED,
    RULE_ON_REVOKED_CLIENT,
    RULE_OUTSIDE_GRANTS,
    NO_SUPERADMIN_IMPORTED,
    LEFTOVER_TEMP_FILE
}
