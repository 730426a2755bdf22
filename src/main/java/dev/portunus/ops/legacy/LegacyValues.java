package dev.portunus.ops.legacy;

import dev.portunus.crypto.Ulid;
import dev.portunus.rules.RuleValidator;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserService;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The value rules of the legacy files (05-legacy.md §2–§6) and their mapping onto ours. */
final class LegacyValues {

    private static final Pattern CLIENT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

    private LegacyValues() {
    }

    /** §3: 1–63 of {@code [a-z0-9-]}, alphanumeric at both ends, no {@code --}. */
    static boolean isClientName(String name) {
        return CLIENT_NAME.matcher(name).matches() && !name.contains("--");
    }

    /** The id rule of our API, which is also the legacy rule for regular ids (§4). */
    static boolean isUserId(String id) {
        return UserService.USER_ID.matcher(id).matches();
    }

    /** An upper-case ULID whose first character is 0–7 (the larger ones overflow 128 bits). */
    static boolean isUlid(String upper) {
        return Ulid.looksLikeUlid(upper) && upper.charAt(0) <= '7';
    }

    /** 64 hex digits in either case (§2). */
    static boolean isHash(String text) {
        return HASH.matcher(text).matches();
    }

    /**
     * §9 Q5: RFC 3339 only ({@code T}/{@code t}, {@code Z}/{@code z} or {@code ±hh:mm}, up to 9
     * fraction digits, a real date and time, no leap second), converted to UTC; also within the
     * years our fixed form can write.
     *
     * @throws SkipRecord {@code invalid_timestamp}
     */
    static Instant timestamp(String text) {
        try {
            Instant t = Timestamps.parseRfc3339(text);
            // Our fixed form has four year digits and no sign; an offset can carry a time past either end.
            int year = t.atOffset(ZoneOffset.UTC).getYear();
            if (year < 1 || year > 9999) {
                throw new SkipRecord(SkipReason.INVALID_TIMESTAMP);
            }
            return t;
        } catch (DateTimeException e) {
            throw new SkipRecord(SkipReason.INVALID_TIMESTAMP);
        }
    }

    /** Our fixed form {@code YYYY-MM-DDTHH:MM:SS.mmmZ}, truncated to the millisecond (§6). */
    static String format(Instant t) {
        return t == null ? null : Timestamps.format(t);
    }

    /** The time prefix of a new id for a record made at {@code t}; before 1970 there is none to keep. */
    static long idTime(Instant t) {
        return Math.max(0, t.toEpochMilli());
    }

    /**
     * A legacy host as our API stores it (§6.5): {@code [v6]} loses its brackets, otherwise one
     * trailing dot is dropped; then lower case. Returns null when {@link RuleValidator#isHost}
     * refuses the result.
     */
    static String normalizeHost(String given) {
        String host;
        if (given.length() > 2 && given.startsWith("[") && given.endsWith("]")) {
            host = given.substring(1, given.length() - 1);
            if (!host.contains(":")) {
                return null;
            }
        } else {
            host = given.endsWith(".") ? given.substring(0, given.length() - 1) : given;
        }
        host = host.toLowerCase(Locale.ROOT);
        return RuleValidator.isHost(host) ? host : null;
    }

    /** Each value's rank among the distinct values (0, 1, …): order and ties stay as they were. */
    static int[] denseRank(List<Long> values) {
        List<Long> distinct = List.copyOf(new TreeSet<>(values));
        int[] ranks = new int[values.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = distinct.indexOf(values.get(i));
        }
        return ranks;
    }
}
