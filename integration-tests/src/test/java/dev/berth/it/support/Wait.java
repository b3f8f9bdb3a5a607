package dev.berth.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, in the manner of testcontainers' wait strategies. */
public final class Wait {
    private Wait() {}

    /** Polls every 50 ms; fails the test naming {@code what} if the condition never held. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
