package dev.portunus.auth;

import dev.portunus.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one authentication seam: every {@code /v1} route except the public ones passes here.
 * {@link Authenticator} decides who the caller is; this filter only routes the outcome.
 */
public class AuthFilter {

    /** Public routes (02-api.md): no credentials needed. */
    static final Set<String> PUBLIC = Set.of("/v1/auth/status", "/v1/auth/onboarding", "/v1/auth/login");

    @Inject
    Authenticator authenticator;

    @Inject
    CallerContext context;

    @ServerRequestFilter(preMatching = true)
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") || PUBLIC.contains(path)) {
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(request);
        if (caller.isEmpty()) {
            throw ApiException.unauthenticated();
        }
        context.set(caller.get());
    }
}
