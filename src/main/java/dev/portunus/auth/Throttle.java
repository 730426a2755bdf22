package dev.portunus.auth;

import dev.portunus.api.ApiException;
import dev.portunus.config.PortunusConfig;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * Failure throttling per (subject, remote address, action) in {@code login_attempts}: after
 * {@code max-failures} failures inside {@code window} the pair is locked out for {@code lockout};
 * requests meanwhile get 429 {@code rate_limited} without their password being checked.
 */
@ApplicationScoped
public class Throttle {

    public enum Action { LOGIN, ONBOARDING, PASSWORD_RESET }

    @Inject
    Store store;

    @Inject
    PortunusConfig config;

    /** 429 while the pair is locked out. */
    public void check(String subject, String remoteAddr, Action action) {
        String now = Timestamps.now();
        long locked = store.read(h -> h.count("SELECT count(*) FROM login_attempts WHERE subject = ? AND remote_addr = ? "
                + "AND action = ? AND locked_until > ?", subject, remoteAddr, name(action), now));
        if (locked > 0) {
            throw new ApiException(429, "rate_limited", "too many failed attempts; try again later");
        }
    }

    public void failed(String subject, String remoteAddr, Action action) {
        Instant now = Instant.now();
        String nowText = Timestamps.format(now);
        String windowStart = Timestamps.format(now.minus(config.throttle().window()));
        String lockedUntil = Timestamps.format(now.plus(config.throttle().lockout()));
        store.write(h -> {
            h.update("INSERT INTO login_attempts (subject, remote_addr, action, failures, window_start) VALUES (?, ?, ?, 0, ?) "
                    + "ON CONFLICT (subject, remote_addr, action) DO NOTHING", subject, remoteAddr, name(action), nowText);
            // A window that has passed (or a lockout that has ended) starts counting afresh.
            h.update("UPDATE login_attempts SET failures = CASE WHEN window_start < ? OR locked_until IS NOT NULL THEN 1 "
                    + "ELSE failures + 1 END, window_start = CASE WHEN window_start < ? OR locked_until IS NOT NULL THEN ? "
                    + "ELSE window_start END, locked_until = NULL WHERE subject = ? AND remote_addr = ? AND action = ?",
                    windowStart, windowStart, nowText, subject, remoteAddr, name(action));
            h.update("UPDATE login_attempts SET locked_until = ? WHERE subject = ? AND remote_addr = ? AND action = ? "
                    + "AND failures >= ?", lockedUntil, subject, remoteAddr, name(action), config.throttle().maxFailures());
            return null;
        });
    }

    public void succeeded(String subject, String remoteAddr, Action action) {
        store.write(h -> h.update("DELETE FROM login_attempts WHERE subject = ? AND remote_addr = ? AND action = ?",
                subject, remoteAddr, name(action)));
    }

    private static String name(Action action) {
        return action.name().toLowerCase(java.util.Locale.ROOT);
    }
}
