package io.restrictd.syncer.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with full jitter: the n-th delay is random in [min, min(max, min * 2^n)]. */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private int failures;

    Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    Duration next() {
        long cap = Math.min(max.toMillis(), min.toMillis() << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(min.toMillis() + ThreadLocalRandom.current().nextLong(Math.max(1, cap - min.toMillis() + 1)));
    }

    void reset() {
        failures = 0;
    }
}
