package dev.portunus.auth;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.Optional;

/** SQL of {@code onboarding_setup}: the one first-run setup token, kept as its hash. */
final class OnboardingRepository {

    private OnboardingRepository() {
    }

    static void put(Handle h, String tokenHash, String createdAt, String expiresAt) throws SQLException {
        h.update("INSERT INTO onboarding_setup (id, token_hash, created_at, expires_at) VALUES (1, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, "
                + "expires_at = excluded.expires_at", tokenHash, createdAt, expiresAt);
    }

    /** The stored hash while it has not expired at {@code now}. */
    static Optional<String> liveHash(Handle h, String now) throws SQLException {
        return h.one("SELECT token_hash FROM onboarding_setup WHERE id = 1 AND expires_at > ?", rs -> rs.getString(1), now);
    }

    static void clear(Handle h) throws SQLException {
        h.update("DELETE FROM onboarding_setup");
    }
}
