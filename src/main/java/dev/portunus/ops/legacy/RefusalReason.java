package dev.portunus.ops.legacy;

/**
 * Why the whole import is refused (05-legacy.md §7.2). The file-level reasons are declared in the
 * order they are checked; the first that applies to a file decides.
 */
public enum RefusalReason implements Coded {
    TOO_LARGE,
    NOT_UTF8,
    EMPTY_FILE,
    TOO_DEEP,
    DUPLICATE_KEY,
    INVALID_JSON,
    INVALID_SHAPE,
    VERSION_MISSING,
    UNSUPPORTED_VERSION,
    /** None of the three files is present (not tied to a file). */
    NOTHING_TO_IMPORT,
    /** {@code --strict} and at least one record was skipped (not tied to a file; see §9 Q8). */
    RECORDS_SKIPPED
}
