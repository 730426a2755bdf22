package dev.portunus.api;

/**
 * Who is making a request, once authenticated. {@code _operator} is the static operator token,
 * acting as a superadmin; {@code anonymous} carries no valid credentials.
 */
public record Caller(String id, String role, Kind kind) {

    public enum Kind { OPERATOR_TOKEN, API_CREDENTIAL, SESSION, ANONYMOUS }

    public static final String SUPERADMIN = "superadmin";
    public static final String USER = "user";

    public static final Caller OPERATOR = new Caller("_operator", SUPERADMIN, Kind.OPERATOR_TOKEN);
    public static final Caller ANONYMOUS = new Caller("anonymous", null, Kind.ANONYMOUS);

    public boolean isSuperadmin() {
        return SUPERADMIN.equals(role);
    }

    public boolean isAuthenticated() {
        return kind != Kind.ANONYMOUS;
    }
}
