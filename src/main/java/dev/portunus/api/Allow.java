package dev.portunus.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method (or every method of a resource class), checked by
 * {@link AccessFilter} after authentication and before the body is read: the one place role
 * checks are written. A method without it (and without a class-level one) is open to any
 * authenticated caller; checks that depend on stored data (the owner of a credential or a rule)
 * stay in the area's service.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allow {

    Who value();

    /** For {@link Who#SELF_OR_SUPERADMIN}: the path parameter that holds the user id. */
    String self() default "";

    /** The callers a route admits (02-api.md "Routes", column "who"). */
    enum Who {
        /** A superadmin user, or the operator token. */
        SUPERADMIN,
        /** A superadmin, or the user named by the path parameter {@link Allow#self()}. */
        SELF_OR_SUPERADMIN,
        /** Any authenticated caller. */
        AUTHENTICATED
    }
}
