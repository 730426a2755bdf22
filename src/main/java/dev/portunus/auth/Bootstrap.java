package dev.portunus.auth;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * First run: while no superadmin exists, onboarding is open. {@code serve} then mints a one-time
 * setup token at every start (stored hashed, 30 minutes), logs it once, and every non-public route
 * answers 503 {@code bootstrap_required} unless the operator token is used.
 */
@ApplicationScoped
public class Bootstrap {

    public static final Duration SETUP_TOKEN_LIFE = Duration.ofMinutes(30);

    @Inject
    Store store;

    /** Once a superadmin exists it stays "closed" until a user write says otherwise. */
    private volatile boolean closed;

    void onStart(@Observes StartupEvent event) {
        if (onboardingOpen()) {
            String token = Secrets.newToken();
            Instant now = Instant.now();
            store.write(h -> h.update("INSERT INTO onboarding_setup (id, token_hash, created_at, expires_at) VALUES (1, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, "
                    + "expires_at = excluded.expires_at", Secrets.blake3Hex(token), Timestamps.format(now),
                    Timestamps.format(now.plus(SETUP_TOKEN_LIFE))));
            Event.of(EventName.ONBOARDING_SETUP_TOKEN).with("token", token).with("expires_at",
                    Timestamps.format(now.plus(SETUP_TOKEN_LIFE)))
                    .hint("POST it with the first superadmin to /v1/auth/onboarding within 30 minutes").warn();
        }
    }

    public boolean onboardingOpen() {
        if (closed) {
            return false;
        }
        boolean open = store.read(UserRepository::countSuperadmins) == 0;
        closed = !open;
        return open;
    }

    /** Users changed (delete, create): look again on the next request. */
    public void usersChanged() {
        closed = false;
    }

    /** True when the setup token matches and is not expired (checked inside the caller's transaction). */
    static boolean setupTokenValid(dev.portunus.store.Handle h, String token) throws java.sql.SQLException {
        String hash = Secrets.blake3Hex(token);
        return h.one("SELECT token_hash FROM onboarding_setup WHERE id = 1 AND expires_at > ?", rs -> rs.getString(1),
                Timestamps.now()).map(stored -> Secrets.constantTimeEquals(stored, hash)).orElse(false);
    }
}
