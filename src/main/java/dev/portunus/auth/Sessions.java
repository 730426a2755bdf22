package dev.portunus.auth;

import dev.portunus.config.PortunusConfig;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.SessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Web sessions of password logins. The cookie carries a random token; {@code web_sessions} (the
 * users area's table) keeps only its BLAKE3 hash. A session ends when revoked, after the idle timeout
 * without use, or at its absolute expiry, whichever comes first.
 */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "portunus_session";

    @Inject
    Store store;

    @Inject
    Touches touches;

    @Inject
    PortunusConfig config;

    /** Starts a session and returns the cookie value (shown once, never stored). */
    public String create(Handle h, String userId, String remoteAddr) throws SQLException {
        String token = Secrets.newToken();
        Instant now = Instant.now();
        SessionRepository.insert(h, Secrets.blake3Hex(token), userId, Timestamps.format(now),
                Timestamps.format(now.plus(absolute())), remoteAddr);
        return token;
    }

    public Optional<SessionRepository.Active> lookup(String cookieValue) {
        String hash = Secrets.blake3Hex(cookieValue);
        Instant now = Instant.now();
        Optional<SessionRepository.Active> found = store.read(h -> SessionRepository.findActive(h, hash,
                Timestamps.format(now), Timestamps.format(now.minus(config.session().idleTimeout()))));
        found.filter(a -> Touches.stale(a.lastSeenAt(), now.toEpochMilli())).ifPresent(a -> touches.sessionSeen(a.idHash()));
        return found;
    }

    public Duration absolute() {
        return config.session().absoluteTimeout();
    }
}
