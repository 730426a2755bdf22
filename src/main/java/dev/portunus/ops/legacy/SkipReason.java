package dev.portunus.ops.legacy;

/**
 * Why one record is left out (05-legacy.md §7.3 and §7.5). Grouped by the phase that finds them:
 * shape, duplicates, fields, references, unique hashes, listen-port conflicts, reserved ids.
 */
public enum SkipReason implements Coded {
    INVALID_RECORD,
    DUPLICATE_ID,
    INVALID_CLIENT_NAME,
    INVALID_USER_ID,
    INVALID_ROLE,
    INVALID_ID,
    INVALID_TOKEN_HASH,
    INVALID_TIMESTAMP,
    INVALID_STATUS,
    INVALID_PORT_RANGE,
    INVALID_PROTOCOLS,
    INVALID_PROTOCOL,
    INVALID_STATE,
    INVALID_TARGET,
    PORT_RANGE_MISMATCH,
    INVALID_HEALTH_CHECK,
    OWNER_MISSING,
    RULE_REMOVED,
    UNKNOWN_USER,
    UNKNOWN_CLIENT,
    USER_NOT_IMPORTED,
    CLIENT_NOT_IMPORTED,
    DUPLICATE_TOKEN_HASH,
    LISTEN_PORT_CONFLICT,
    RESERVED_ID_UNMAPPABLE
}
