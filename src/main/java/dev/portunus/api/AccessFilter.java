package dev.portunus.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces {@link Allow} on the matched resource method: 403 {@code forbidden} when the caller is
 * not admitted. Runs after the authentication seam has set the caller and before the request body
 * is read, so a caller without the role learns nothing from validation errors.
 */
public class AccessFilter {

    @Inject
    CallerContext callers;

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        Allow allow = allowOf(resource.getResourceMethod(), resource.getResourceClass());
        if (allow == null) {
            return;
        }
        switch (allow.value()) {
            case SUPERADMIN -> callers.requireSuperadmin();
            case SELF_OR_SUPERADMIN -> callers.requireSelfOrSuperadmin(request.getUriInfo().getPathParameters().getFirst(allow.self()));
            case AUTHENTICATED -> {
                // the authentication seam already refused anonymous callers
            }
        }
    }

    static Allow allowOf(Method method, Class<?> type) {
        if (method != null && method.isAnnotationPresent(Allow.class)) {
            return method.getAnnotation(Allow.class);
        }
        return type == null ? null : type.getAnnotation(Allow.class);
    }
}
