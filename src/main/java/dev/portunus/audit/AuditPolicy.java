package dev.portunus.audit;

import dev.portunus.store.Timestamps;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which requests are audited and what their entry holds (02-api.md "Audit"), for both listeners:
 * every mutating request (POST, PUT, PATCH, DELETE), allowed or denied, and every denied request of
 * any method (401, 403, 429, or 503 {@code bootstrap_required}), and every call of the read routes
 * that hand out the store ({@link #AUDITED_READS}: backup listings, downloads, snapshots;
 * 07-scheduled-backups.md §7); a request refused with 503 {@link #BACKLOG} is the one exception. Only
 * ids, method, path (at most
 * 512 characters, no query) and codes go in — never a token, password or cookie.
 */
public final class AuditPolicy {

    public static final String CORRELATION_HEADER = "X-Request-Id";

    public static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Statuses that mean "denied" whatever the method: authentication, authorization, throttling. */
    static final Set<Integer> DENIALS = Set.of(401, 403, 429);
    /** GET routes audited like mutations: they hand out the whole store (07-scheduled-backups.md §7 "Audit"). */
    static final Pattern AUDITED_READS = Pattern.compile("/v1/backups(/.*)?|/v1/snapshot/?");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_PATH = 512;

    private AuditPolicy() {
    }

    /**
     * The code of a request refused because the audit writer stayed behind: it had no effect and is
     * not itself audited (issue 10's loss rule, README "Audit").
     */
    public static final String BACKLOG = "audit_backlog";

    /**
     * The one exemption (06-traffic.md §2.2, decision 5): a client's traffic report that was applied
     * or recognised as a duplicate (2xx) leaves no entry — one client would add ~5 760 a day; a metric
     * counts them. A refused report (401, 409 {@code stale_boot}, 422, 429, 503 …) is audited as usual.
     */
    public static final String TRAFFIC_REPORT_PATH = "/v1/client/traffic";

    /** True when a request with this method and answer must leave an audit entry. */
    public static boolean audited(String method, int status, String errorCode) {
        if (BACKLOG.equals(errorCode)) {
            return false;
        }
        return MUTATING.contains(method) || DENIALS.contains(status) || "bootstrap_required".equals(errorCode);
    }

    /**
     * As {@link #audited(String, int, String)}, and every call of {@link #AUDITED_READS} ({@code path}
     * without query), except an accepted traffic report ({@link #TRAFFIC_REPORT_PATH}).
     */
    public static boolean audited(String method, String path, int status, String errorCode) {
        if (TRAFFIC_REPORT_PATH.equals(path) && status < 300) {
            return false;
        }
        return audited(method, status, errorCode) || (!BACKLOG.equals(errorCode) && AUDITED_READS.matcher(path).matches());
    }

    /**
     * Requests whose effect must not happen before their audit slot is held: every mutation, and the
     * reads that hand out the store. The others (reads) only need a slot if they end up denied.
     */
    public static boolean needsSlotBeforeEffect(String method, String path) {
        return MUTATING.contains(method) || AUDITED_READS.matcher(path).matches();
    }

    /** The caller's correlation id when it is a plain short id, else a fresh one. */
    public static String correlationId(String header) {
        return header != null && SAFE_ID.matcher(header).matches() ? header : UUID.randomUUID().toString();
    }

    /** The entry for an audited request; {@code errorCode} is the error's code, null when allowed. */
    public static AuditEntry entry(String actor, String role, String method, String path, int status, String errorCode,
            String correlationId) {
        String p = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path;
        boolean allowed = status < 400;
        return new AuditEntry(System.nanoTime(), Timestamps.now(), actor, role, method, p, allowed ? "allow" : "deny",
                allowed ? null : errorCode, correlationId);
    }
}
