package dev.portunus.auth;

import dev.portunus.api.Bearer;
import dev.portunus.api.Caller;
import dev.portunus.config.PortunusConfig;
import dev.portunus.credentials.CredentialRepository;
import dev.portunus.crypto.Secrets;
import dev.portunus.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * Turns a request's credentials into a {@link Caller}: the static operator token, a user's API
 * credential (Bearer), or a web session cookie. Tokens are looked up by their BLAKE3 hash (unique
 * index) and the stored hash is compared again in constant time.
 */
@ApplicationScoped
public class Authenticator {

    /** Who, and how: a session carries its hash (logout) and the password-change flag. */
    public record Authentication(Caller caller, String sessionHash, boolean passwordChangeRequired) {
        static Authentication of(Caller caller) {
            return new Authentication(caller, null, false);
        }
    }

    @Inject
    PortunusConfig config;

    @Inject
    Store store;

    @Inject
    Sessions sessions;

    @Inject
    Touches touches;

    public Optional<Caller> authenticate(ContainerRequestContext request) {
        return resolve(request).map(Authentication::caller);
    }

    public Optional<Authentication> resolve(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            // A Bearer header decides alone: a bad token is not rescued by a cookie.
            return Bearer.token(header).flatMap(this::bearer).map(Authentication::of);
        }
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().isEmpty()) {
            return Optional.empty();
        }
        return sessions.lookup(cookie.getValue()).map(s -> new Authentication(
                new Caller(s.userId(), s.role(), Caller.Kind.SESSION), s.idHash(), s.passwordChangeRequired()));
    }

    private Optional<Caller> bearer(String token) {
        Optional<String> operatorToken = config.settings().operatorToken();
        if (operatorToken.isPresent() && constantTimeEquals(operatorToken.get(), token)) {
            return Optional.of(Caller.OPERATOR);
        }
        String hash = Secrets.blake3Hex(token);
        Optional<CredentialRepository.Active> row = store.read(h -> CredentialRepository.findActiveByHash(h, hash));
        if (row.isEmpty() || !constantTimeEquals(row.get().tokenHash(), hash)) {
            return Optional.empty();
        }
        if (Touches.stale(row.get().lastUsedAt(), System.currentTimeMillis())) {
            touches.credentialUsed(row.get().id());
        }
        return Optional.of(new Caller(row.get().userId(), row.get().role(), Caller.Kind.API_CREDENTIAL));
    }

    static boolean constantTimeEquals(String expected, String given) {
        return Secrets.constantTimeEquals(expected, given);
    }
}
