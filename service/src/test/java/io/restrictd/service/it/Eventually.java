package io.restrictd.service.it;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline, for results that arrive eventually (never a timing assertion on its own). */
final class Eventually {
    private Eventually() {
    }

    /**
     * Probes every {@code pauseMillis} until {@code done} accepts the value; returns that value.
     *
     * @throws AssertionError naming {@code what} and the last value seen when {@code timeout} passes
     */
    static <T> T await(String what, Duration timeout, long pauseMillis, Supplier<T> probe, Predicate<T> done) {
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
            NodeProcess.sleep(pauseMillis);
        }
    }

    static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        return await(what, timeout, 100, probe, done);
    }
}
