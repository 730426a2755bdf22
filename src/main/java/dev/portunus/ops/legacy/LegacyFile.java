package dev.portunus.ops.legacy;

/** The three legacy state files (05-legacy.md §3–§5), in the order they are checked and imported. */
public enum LegacyFile {
    TOKENS("tokens.json"),
    IDENTITY("identity.json"),
    RULES("rules.json");

    private final String fileName;

    LegacyFile(String fileName) {
        this.fileName = fileName;
    }

    /** The name the legacy server gave the file; also the {@code file=} value of report lines. */
    public String fileName() {
        return fileName;
    }
}
