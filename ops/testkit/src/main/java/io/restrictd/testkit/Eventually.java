package io.restrictd.testkit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polling with a deadline, for results that arrive eventually. The deadline only bounds a wait that
 * would otherwise hang: no test asserts speed through it.
 */
public final class Eventually {
    private Eventually() {
    }

    /**
     * Probes every {@code pauseMillis} until {@code done} accepts the value; returns that value.
     *
     * @throws AssertionError naming {@code what} and the last value seen, once {@code timeout} has passed
     */
    public static <T> T await(String what, Duration timeout, long pauseMillis, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                last = null;
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("not " + what + " within " + timeout + "; last: " + last);
                if (lastError != null) {
                    failure.addSuppressed(lastError);
                }
                throw failure;
            }
            sleep(pauseMillis);
        }
    }

    /** {@link #await(String, Duration, long, Supplier, Predicate)} probing every 100 ms. */
    public static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        return await(what, timeout, 100, probe, done);
    }

    /** Retries an assertion until it holds; once {@code limit} has passed, its last failure is thrown. */
    public static void within(Duration limit, Runnable assertion) {
        within(limit, () -> "", assertion);
    }

    /**
     * As {@link #within(Duration, Runnable)}, with {@code context} (say, a server's log) appended to
     * the final failure. Pauses grow from 50 ms to 1 s, since some assertions read a whole topic.
     */
    public static void within(Duration limit, Supplier<String> context, Runnable assertion) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 50;
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    String more = context.get();
                    throw more.isEmpty() ? e : new AssertionError(e.getMessage() + "\n" + more, e);
                }
                sleep(pause);
                pause = Math.min(1000, pause * 2);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
