package dev.portunus.ops.legacy;

/** The record kinds of §7.3, in import order; {@link #code()} is the {@code kind=} of report lines. */
public enum RecordKind implements Coded {
    CLIENT(LegacyFile.TOKENS),
    USER(LegacyFile.IDENTITY),
    CREDENTIAL(LegacyFile.IDENTITY),
    GRANT(LegacyFile.IDENTITY),
    RULE(LegacyFile.RULES);

    private final LegacyFile file;

    RecordKind(LegacyFile file) {
        this.file = file;
    }

    /** The file that holds records of this kind. */
    public LegacyFile file() {
        return file;
    }
}
