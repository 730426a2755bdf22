package dev.portunus.events;

/** Walking a failure's cause chain, for the one-line reasons that events and logs carry. */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause (the failure itself when it has none). */
    public static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    /** The innermost cause's message on one line (Flyway's span several), or its class name. */
    public static String rootMessage(Throwable t) {
        Throwable r = root(t);
        String msg = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        return msg.replaceAll("\\s+", " ").trim();
    }

    /** The first failure of {@code type} in the cause chain, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
