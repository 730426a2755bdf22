package dev.portunus.testing;

import java.util.function.BooleanSupplier;

/** Bounded polling for things that happen in the background (the audit writer). */
public final class Eventually {

    private Eventually() {
    }

    public static void within(long millis, String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("not within " + millis + " ms: " + what);
        }
    }
}
