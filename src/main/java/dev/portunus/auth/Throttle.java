package dev.portunus.auth;

import dev.portunus.api.ApiException;
import dev.portunus.config.PortunusConfig;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
        if (store.read(h -> ThrottleRepository.locked(h, subject, remoteAddr, name(action), now))) {
            throw new ApiException(429, "rate_limited", "too many failed attempts; try again later");
        }
    }

    public void failed(String subject, String remoteAddr, Action action) {
        Instant now = Instant.now();
        String nowText = Timestamps.format(now);
        String windowStart = Timestamps.format(now.minus(config.throttle().window()));
        String lockedUntil = Timestamps.format(now.plus(config.throttle().lockout()));
        store.write(h -> {
            ThrottleRepository.failed(h, subject, remoteAddr, name(action), nowText, windowStart, lockedUntil,
                    config.throttle().maxFailures());
            return null;
        });
    }

    public void succeeded(String subject, String remoteAddr, Action action) {
        store.write(h -> {
            ThrottleRepository.clear(h, subject, remoteAddr, name(action));
            return null;
        });
    }

    private static String name(Action action) {
        return action.name().toLowerCase(java.util.Locale.ROOT);
    }
}
