package dev.portunus.auth;

import dev.portunus.api.ApiException;
import dev.portunus.api.Caller;
import dev.portunus.api.CallerContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one authentication seam: every {@code /v1} route except the public ones passes here.
 * {@link Authenticator} decides who the caller is; this filter routes the outcome and applies the
 * rules that depend on how the caller came: bootstrap (503 until a superadmin exists, operator
 * token excepted), CSRF for cookie writes, and the password-change-required restriction.
 */
public class AuthFilter {

    /** Public routes (02-api.md): no credentials needed. */
    static final Set<String> PUBLIC = Set.of("/v1/auth/status", "/v1/auth/onboarding", "/v1/auth/login");

    /** What a session with {@code password_change_required} may still do. */
    static final Set<String> PASSWORD_CHANGE_ALLOWED =
            Set.of("GET /v1/users/me", "POST /v1/users/me/password", "POST /v1/auth/logout");

    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    public static final String CSRF_HEADER = "X-Portunus-CSRF";

    @Inject
    Authenticator authenticator;

    @Inject
    CallerContext context;

    @Inject
    Bootstrap bootstrap;

    @ServerRequestFilter(preMatching = true)
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") || PUBLIC.contains(path)) {
            return;
        }
        Optional<Authenticator.Authentication> auth = authenticator.resolve(request);
        boolean operator = auth.isPresent() && auth.get().caller().kind() == Caller.Kind.OPERATOR_TOKEN;
        if (!operator && bootstrap.onboardingOpen()) {
            throw new ApiException(503, "bootstrap_required",
                    "no superadmin exists yet: complete onboarding (POST /v1/auth/onboarding) or use the operator token");
        }
        if (auth.isEmpty()) {
            throw ApiException.unauthenticated();
        }
        context.set(auth.get().caller());
        if (auth.get().caller().kind() == Caller.Kind.SESSION) {
            context.setSession(auth.get().sessionHash());
            String method = request.getMethod();
            if (!SAFE_METHODS.contains(method)) {
                checkCsrf(request);
            }
            if (auth.get().passwordChangeRequired() && !PASSWORD_CHANGE_ALLOWED.contains(method + " " + path)) {
                throw ApiException.forbidden("password_change_required", "change your password first (POST /v1/users/me/password)");
            }
        }
    }

    /** Cookie-authenticated writes need {@code X-Portunus-CSRF: 1} and an Origin whose host:port is the Host. */
    static void checkCsrf(ContainerRequestContext request) {
        if (!"1".equals(request.getHeaderString(CSRF_HEADER))) {
            throw ApiException.forbidden("csrf_missing_header", "cookie-authenticated writes need the header X-Portunus-CSRF: 1");
        }
        String origin = request.getHeaderString("Origin");
        // HTTP/2 carries the host in :authority, not in a Host header; the request URI has it either way.
        String host = request.getHeaderString("Host");
        if (host == null) {
            host = request.getUriInfo().getRequestUri().getRawAuthority();
        }
        if (origin == null || host == null || !host.equalsIgnoreCase(originHostPort(origin))) {
            throw ApiException.forbidden("csrf_origin_mismatch", "the Origin header must name this server (same host:port as Host)");
        }
    }

    static String originHostPort(String origin) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return "";
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80)
                    || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443);
            return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
