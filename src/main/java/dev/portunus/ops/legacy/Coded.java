package dev.portunus.ops.legacy;

import java.util.Locale;

/** An enum whose report code is its name in lower case ({@code TOO_LARGE} → {@code too_large}). */
public interface Coded {

    String name();

    /** The code as it appears in report lines (05-legacy.md §7.6). */
    default String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
