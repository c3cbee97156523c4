package io.restrictd.service.ingest;

import io.restrictd.service.store.StoreException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Ingest's observable state: written by the ingest thread, read by lookups (readiness), health and
 * the admin API. Thread-safe; {@link #ready()} is a volatile read, cheap enough for every lookup.
 */
final class IngestTracker {
    private volatile boolean ready;
    private volatile IngestStatus.State state = IngestStatus.State.STARTING;
    private volatile String notReadyReason = "restrictd is starting and has not caught up with the topic yet";
    private Map<TopicPartition, Long> target;
    private Map<Integer, Long> lag = Map.of();
    private boolean kafkaReachable;
    private Instant lastKafkaOk;
    private Instant syncedAt;
    private long applied;
    private long skipped;
    private String lastSkipped;
    private Instant lastSkippedAt;
    private String lastError;
    private long rebuilds;
    private String storeError;

    IngestTracker(boolean storeCaughtUpOnce, Instant syncedAt) {
        this.ready = storeCaughtUpOnce;
        this.syncedAt = syncedAt;
    }

    boolean ready() {
        return ready;
    }

    String notReadyReason() {
        return notReadyReason;
    }

    void state(IngestStatus.State s) {
        state = s;
    }

    synchronized void target(Map<TopicPartition, Long> endOffsetsAtStart) {
        if (target == null) {
            target = new HashMap<>(endOffsetsAtStart); // the end offsets seen at start define "caught up"
        } else {
            endOffsetsAtStart.forEach(target::putIfAbsent);
        }
    }

    /**
     * Records the consumer's positions and its lag per partition (as the consumer last learned it; null
     * when unknown). Returns true if the node is caught up: past the end offsets seen at start, and
     * with no known lag.
     */
    synchronized boolean observe(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> knownLag) {
        Map<Integer, Long> newLag = new HashMap<>();
        boolean reachedStartTarget = true;
        boolean caughtUp = true;
        for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
            long behindStart = Math.max(0, target.getOrDefault(e.getKey(), 0L) - e.getValue());
            Long known = knownLag.get(e.getKey());
            long behind = known != null ? known : behindStart;
            newLag.put(e.getKey().partition(), behind);
            reachedStartTarget &= behindStart == 0;
            caughtUp &= behind == 0 && behindStart == 0;
        }
        lag = Map.copyOf(newLag);
        if (reachedStartTarget) {
            ready = true;
        }
        state = caughtUp ? IngestStatus.State.FOLLOWING : state == IngestStatus.State.FOLLOWING
                ? IngestStatus.State.FOLLOWING : IngestStatus.State.CATCHING_UP;
        return caughtUp;
    }

    synchronized void kafkaOk(Instant now) {
        kafkaReachable = true;
        lastKafkaOk = now;
    }

    synchronized void synced(Instant now) {
        syncedAt = now;
        storeError = null;
    }

    synchronized void rebuilt(Instant now) {
        rebuilds++;
        syncedAt = now;
        ready = true;
        storeError = null;
    }

    /** A store commit of {@code n} changes succeeded: the store takes writes again, if it did not. */
    synchronized void applied(long n) {
        applied += n;
        storeError = null;
    }

    synchronized void skipped(String what, Instant at) {
        skipped++;
        lastSkipped = what;
        lastSkippedAt = at;
    }

    synchronized void failed(Exception e) {
        kafkaReachable = !(e instanceof org.apache.kafka.common.KafkaException) && kafkaReachable;
        lastError = e.toString();
        if (e instanceof StoreException) {
            storeError = e.getMessage(); // names the store's path and the cause, e.g. "No space left on device"
        }
        state = IngestStatus.State.RETRYING;
        if (!ready) {
            notReadyReason = "restrictd has not caught up with the topic yet (" + e.getClass().getSimpleName() + ")";
        }
    }

    synchronized void halted(String why) {
        lastError = why;
        state = IngestStatus.State.HALTED;
    }

    synchronized IngestStatus snapshot() {
        return new IngestStatus(state, ready, kafkaReachable, lastKafkaOk, syncedAt, lag, applied, skipped,
                lastSkipped, lastSkippedAt, lastError, rebuilds, storeError);
    }
}
