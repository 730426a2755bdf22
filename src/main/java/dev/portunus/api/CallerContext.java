package dev.portunus.api;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link AuthFilter}; services ask it for role checks. */
@RequestScoped
public class CallerContext {

    private Caller caller = Caller.ANONYMOUS;
    private String sessionHash;

    public Caller caller() {
        return caller;
    }

    /** Set by the authentication seam (and by onboarding/login for the audit entry of that request). */
    public void set(Caller caller) {
        this.caller = caller;
    }

    public void setSession(String sessionHash) {
        this.sessionHash = sessionHash;
    }

    /** The BLAKE3 of the session cookie when the caller came with one; null for Bearer callers. */
    public String sessionHash() {
        return sessionHash;
    }

    /** 403 unless the caller is a superadmin. */
    public Caller requireSuperadmin() {
        if (!caller.isSuperadmin()) {
            throw ApiException.forbidden("forbidden", "this route needs a superadmin");
        }
        return caller;
    }

    /** 403 unless the caller is a superadmin or the user {@code userId} itself. */
    public Caller requireSelfOrSuperadmin(String userId) {
        if (!caller.isSuperadmin() && !caller.id().equals(userId)) {
            throw ApiException.forbidden("forbidden", "only a superadmin or the user itself may do this");
        }
        return caller;
    }
}
