package dev.portunus.auth;

import dev.portunus.store.Handle;
import java.sql.SQLException;
import java.util.Optional;

/** SQL of {@code onboarding_setup}: the one first-run setup token, kept as its hash. */
public final class OnboardingRepository {

    private OnboardingRepository() {
    }

    static void put(Handle h, String tokenHash, String createdAt, String expiresAt) throws SQLException {
        h.update("INSERT INTO onboarding_setup (id, token_hash, created_at, expires_at) VALUES (1, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, "
                + "expires_at = excluded.expires_at", tokenHash, createdAt, expiresAt);
    }

    /** The stored hash while it has not expired at {@code now}. */
    static Optional<String> liveHash(Handle h, String now) throws SQLException {
        return h.one("SELECT token_hash FROM onboarding_setup WHERE id = 1 AND expires_at > ?", rs -> Handle.text(rs, 1), now);
    }

    /**
     * Deletes the setup token: onboarding is over (a superadmin was created, or {@code import-legacy}
     * brought an enabled one, 05-legacy.md §6.6). Returns the number of rows deleted (0 or 1).
     */
    public static int clear(Handle h) throws SQLException {
        return h.update("DELETE FROM onboarding_setup");
    }
}
