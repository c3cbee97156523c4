package io.restrictd.syncer.source;

import java.time.Duration;
import java.time.Instant;

/**
 * When a psearch session reconciles again ({@code ldap.reconcileInterval}). Pure: the caller passes the
 * times, from its clock.
 *
 * <p>The first reconciliation after a connect comes early, {@link #FOLLOW_UP} (or the interval, if shorter)
 * after the connect-time one: that one ran a moment after the persistent search was sent, and a change made
 * in between the server taking the search on and the reconciliation reading the entry can be missed. The
 * server registers the search within milliseconds, so a second full search seconds later closes that window
 * in practice; only a server that took longer than {@link #FOLLOW_UP} to register it leaves a gap, which the
 * regular reconciliations then repair. After the follow-up, one every interval.
 *
 * <p>A zero interval disables both. Not thread-safe: owned by the session's thread.
 */
final class ReconcileSchedule {
    /** How long after the connect-time reconciliation the follow-up runs. */
    static final Duration FOLLOW_UP = Duration.ofSeconds(5);

    private final Duration interval;
    /** Null while disabled or before the first reconciliation. */
    private Instant next;

    ReconcileSchedule(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("ldap.reconcileInterval: negative");
        }
        this.interval = interval;
    }

    boolean enabled() {
        return !interval.isZero();
    }

    /** The connect-time reconciliation finished at {@code at}: the follow-up is next. */
    void connected(Instant at) {
        next = enabled() ? at.plus(interval.compareTo(FOLLOW_UP) < 0 ? interval : FOLLOW_UP) : null;
    }

    /** A periodic reconciliation finished at {@code at}. */
    void reconciled(Instant at) {
        next = enabled() ? at.plus(interval) : null;
    }

    /** True once a reconciliation is due at {@code now}. */
    boolean due(Instant now) {
        return next != null && !now.isBefore(next);
    }

    /** The time until the next reconciliation, at most {@code cap}; zero if due. */
    Duration untilDue(Instant now, Duration cap) {
        if (next == null) {
            return cap;
        }
        Duration left = Duration.between(now, next);
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /** When the next reconciliation is due, or null if none is. */
    Instant next() {
        return next;
    }
}
