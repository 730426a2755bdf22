package dev.portunus.events;

/**
 * A command or startup check refuses to go on. Carries the process exit code of the contract
 * (01-store.md §5) and the event line that tells the operator what was refused and what to do.
 */
public class Refusal extends RuntimeException {

    public static final int GENERIC = 1;
    public static final int USAGE = 2;
    public static final int IN_USE = 75;
    public static final int CONFIG = 78;

    private final int exitCode;
    private final transient Event event;

    public Refusal(int exitCode, Event event) {
        super(event.name().id());
        this.exitCode = exitCode;
        this.event = event;
    }

    public Refusal(int exitCode, Event event, Throwable cause) {
        super(event.name().id(), cause);
        this.exitCode = exitCode;
        this.event = event;
    }

    public int exitCode() {
        return exitCode;
    }

    public Event event() {
        return event;
    }

    /** Prints the event line and returns the exit code, for the one place that ends the process. */
    public int report() {
        event.error();
        return exitCode;
    }
}
