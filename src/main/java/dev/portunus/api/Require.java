package dev.portunus.api;

/** Field checks of request bodies that Jackson cannot express: presence and simple shapes → 422. */
public final class Require {

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw ApiException.invalid("missing_field", "field '" + field + "' is required");
        }
        return value;
    }

    public static String text(String value, String field, int maxLength) {
        present(value, field);
        if (value.isBlank() || value.length() > maxLength) {
            throw ApiException.invalid("invalid_" + field, "field '" + field + "' must be 1.." + maxLength + " characters");
        }
        return value;
    }

    /** A body is required (an empty POST body binds to null). */
    public static <T> T body(T body) {
        if (body == null) {
            throw ApiException.badRequest("malformed_json", "a JSON object body is required");
        }
        return body;
    }
}
