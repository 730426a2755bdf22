package dev.portunus.auth;

import dev.portunus.store.Handle;
import java.sql.SQLException;

/** SQL of {@code login_attempts}: failure counts per (subject, remote address, action). */
final class ThrottleRepository {

    private ThrottleRepository() {
    }

    static boolean locked(Handle h, String subject, String remoteAddr, String action, String now) throws SQLException {
        return h.count("SELECT count(*) FROM login_attempts WHERE subject = ? AND remote_addr = ? AND action = ? "
                + "AND locked_until > ?", subject, remoteAddr, action, now) > 0;
    }

    /**
     * Counts one failure; a window that has passed (or a lockout that has ended) starts counting
     * afresh; at {@code maxFailures} the pair is locked until {@code lockedUntil}.
     */
    static void failed(Handle h, String subject, String remoteAddr, String action, String now, String windowStart,
            String lockedUntil, int maxFailures) throws SQLException {
        h.update("INSERT INTO login_attempts (subject, remote_addr, action, failures, window_start) VALUES (?, ?, ?, 0, ?) "
                + "ON CONFLICT (subject, remote_addr, action) DO NOTHING", subject, remoteAddr, action, now);
        h.update("UPDATE login_attempts SET failures = CASE WHEN window_start < ? OR locked_until IS NOT NULL THEN 1 "
                + "ELSE failures + 1 END, window_start = CASE WHEN window_start < ? OR locked_until IS NOT NULL THEN ? "
                + "ELSE window_start END, locked_until = NULL WHERE subject = ? AND remote_addr = ? AND action = ?",
                windowStart, windowStart, now, subject, remoteAddr, action);
        h.update("UPDATE login_attempts SET locked_until = ? WHERE subject = ? AND remote_addr = ? AND action = ? "
                + "AND failures >= ?", lockedUntil, subject, remoteAddr, action, maxFailures);
    }

    static void clear(Handle h, String subject, String remoteAddr, String action) throws SQLException {
        h.update("DELETE FROM login_attempts WHERE subject = ? AND remote_addr = ? AND action = ?", subject, remoteAddr, action);
    }
}
