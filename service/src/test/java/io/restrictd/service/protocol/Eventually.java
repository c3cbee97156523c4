package io.restrictd.service.protocol;

import java.time.Duration;

/** Polls a condition until it holds, with a generous bound that only exists to avoid hangs. */
public final class Eventually {
    private static final Duration BOUND = Duration.ofSeconds(20);

    private Eventually() {
    }

    public interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} until it passes; rethrows its last failure after the bound. */
    public static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
