package dev.portunus.api;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header, for both listeners. */
public final class Bearer {

    private Bearer() {
    }

    /** The token, or empty when the header is absent, not Bearer (case-insensitive) or blank. */
    public static Optional<String> token(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
