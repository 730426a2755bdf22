package dev.portunus.auth;

import dev.portunus.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Turns a request's credentials into a {@link Caller}: the static operator token, for now. */
@ApplicationScoped
public class Authenticator {

    @Inject
    Settings settings;

    public Optional<Caller> authenticate(ContainerRequestContext request) {
        Optional<String> bearer = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (bearer.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> operatorToken = settings.get().operatorToken();
        if (operatorToken.isPresent() && constantTimeEquals(operatorToken.get(), bearer.get())) {
            return Optional.of(Caller.OPERATOR);
        }
        return Optional.empty();
    }

    static Optional<String> bearerToken(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
