package dev.portunus.api;

/**
 * A refusal of an API request, answered as {@code {"error":{"code":…,"message":…}}} with its status.
 * Services throw it; {@link ApiExceptionMappers} renders it. The message is for a person and must
 * never carry a secret, SQL or a stack trace.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException unauthenticated() {
        return new ApiException(401, "unauthenticated", "missing or invalid credentials");
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException invalid(String code, String message) {
        return new ApiException(422, code, message);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }
}
