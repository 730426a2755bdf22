package dev.portunus.auth;

import dev.portunus.crypto.Secrets;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.users.UserRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
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

    /**
     * Once a superadmin exists onboarding stays closed: the API refuses to delete the last enabled
     * superadmin and the offline helpers cannot run beside serve, so this cache cannot go stale.
     */
    private volatile boolean closed;

    void onStart(@Observes StartupEvent event) {
        if (onboardingOpen()) {
            String token = Secrets.newToken();
            Instant now = Instant.now();
            store.write(h -> {
                OnboardingRepository.put(h, Secrets.blake3Hex(token), Timestamps.format(now),
                        Timestamps.format(now.plus(SETUP_TOKEN_LIFE)));
                return null;
            });
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

    /** True when the setup token matches and is not expired (checked inside the caller's transaction). */
    static boolean setupTokenValid(Handle h, String token) throws SQLException {
        String hash = Secrets.blake3Hex(token);
        return OnboardingRepository.liveHash(h, Timestamps.now()).map(stored -> Secrets.constantTimeEquals(stored, hash))
                .orElse(false);
    }
}
