package dev.portunus.audit;

import dev.portunus.api.ApiException;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads of the audit log (02-api.md "Audit"), newest first, by keyset on {@code seq}. A time window
 * is first turned into a seq range with two probes of the {@code ts} index (the writer keeps ts
 * non-decreasing in seq order), then the page walks the primary key (or {@code (outcome, seq)})
 * backwards inside that range. Parameter errors: 422 {@code invalid_limit}/{@code invalid_outcome},
 * 400 {@code invalid_timestamp}/{@code invalid_time_range}/{@code invalid_cursor}.
 */
@ApplicationScoped
public class AuditService {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final String CURSOR_PREFIX = "seq:";

    /** Parsed, validated parameters. {@code before} is the exclusive upper seq bound (cursor). */
    public record Params(int limit, String outcome, Instant since, Instant until, Long before, boolean envelope) {
    }

    @Inject
    Store store;

    /** The legacy bare array, or the envelope when any of since/until/cursor is given. */
    public Object list(String limit, String outcome, String since, String until, String cursor) {
        Params p = parse(limit, outcome, since, until, cursor);
        return p.envelope() ? store.read(h -> envelope(h, p)) : store.read(h -> legacy(h, p));
    }

    public static Params parse(String limit, String outcome, String since, String until, String cursor) {
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw ApiException.invalid("invalid_limit", "limit must be a whole number 1.." + MAX_LIMIT);
            }
        }
        if (outcome != null && !outcome.equals("allow") && !outcome.equals("deny")) {
            throw ApiException.invalid("invalid_outcome", "outcome must be 'allow' or 'deny'");
        }
        boolean envelope = since != null || until != null || cursor != null;
        Instant s = since == null ? null : timestamp(since, "since");
        Instant u = until == null ? null : timestamp(until, "until");
        if (s != null && u != null && s.isAfter(u)) {
            throw ApiException.badRequest("invalid_time_range", "since must not be later than until");
        }
        return new Params(n, outcome, s, u, cursor == null ? null : decodeCursor(cursor), envelope);
    }

    static List<AuditJson.View> legacy(Handle h, Params p) throws SQLException {
        List<AuditJson.View> out = new ArrayList<>();
        for (AuditRepository.Row r : page(h, p, p.limit())) {
            out.add(r.view());
        }
        return out;
    }

    static AuditJson.Page envelope(Handle h, Params p) throws SQLException {
        List<AuditRepository.Row> rows = page(h, p, p.limit() + 1);
        boolean more = rows.size() > p.limit();
        List<AuditJson.View> entries = new ArrayList<>(Math.min(rows.size(), p.limit()));
        for (int i = 0; i < rows.size() && i < p.limit(); i++) {
            entries.add(rows.get(i).view());
        }
        String next = more ? encodeCursor(rows.get(p.limit() - 1).seq()) : null;
        return new AuditJson.Page(entries, next, entries.size());
    }

    private static List<AuditRepository.Row> page(Handle h, Params p, int fetch) throws SQLException {
        long upper = p.before() == null ? Long.MAX_VALUE : p.before();
        String since = p.since() == null ? null : Timestamps.format(p.since());
        String until = p.until() == null ? null : Timestamps.format(p.until());
        if (until != null) {
            // First seq at or after `until`: everything below it is older than the window's end.
            upper = Math.min(upper, AuditRepository.firstSeqAtOrAfter(h, until));
        }
        long lower = since == null ? 0 : AuditRepository.firstSeqAtOrAfter(h, since);
        if (lower >= upper) {
            return List.of();
        }
        return AuditRepository.page(h, new AuditRepository.PageQuery(upper, lower, since, until, p.outcome(), fetch));
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(CURSOR_PREFIX)) {
                throw new IllegalArgumentException("no prefix");
            }
            long seq = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
            if (seq < 1) {
                throw new IllegalArgumentException("out of range");
            }
            return seq;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_cursor", "cursor is not one this server handed out");
        }
    }

    /** Longest received value echoed back in a timestamp error. */
    private static final int MAX_ECHO = 64;

    private static Instant timestamp(String text, String field) {
        try {
            return Timestamps.parseQueryRfc3339(text);
        } catch (DateTimeParseException e) {
            // Say what arrived: a raw '+' in the offset reaches us as a space, which is easy to miss.
            String received = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "…" : text;
            throw ApiException.badRequest("invalid_timestamp", "'" + field + "' is not an RFC 3339 timestamp: received '"
                    + received + "'; send e.g. 2026-01-02T03:04:05Z or 2026-01-02T04:04:05%2B01:00 (percent-encode '+' "
                    + "as %2B in a query string)");
        }
    }
}
