package io.restrictd.service.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of ingest, for health checks and {@code GET /status}. Immutable.
 *
 * @param state           what ingest is doing now
 * @param ready           whether lookups are answered (caught up once, or started with a store)
 * @param kafkaReachable  whether the last call to the broker succeeded
 * @param lastKafkaOk     when a call to the broker last succeeded, or null
 * @param syncedAt        when the store was last known caught up with the topic, or null
 * @param lag             records behind the end offsets last seen, per partition
 * @param applied         records applied since start
 * @param skipped         bad records skipped since start
 * @param lastSkipped     topic/partition/offset and reason of the last skipped record, or null
 * @param lastSkippedAt   when it was skipped, or null
 * @param lastError       the last Kafka or store error, or null
 * @param rebuilds        store rebuilds since start
 * @param storeError      why the last write to the store failed (e.g. its disk is full), while no write has
 *                        succeeded since: ingest is stopped until one does; null otherwise
 */
public record IngestStatus(State state, boolean ready, boolean kafkaReachable, Instant lastKafkaOk,
        Instant syncedAt, Map<Integer, Long> lag, long applied, long skipped, String lastSkipped,
        Instant lastSkippedAt, String lastError, long rebuilds, String storeError) {

    /** What the ingest thread is doing. */
    public enum State { STARTING, CATCHING_UP, FOLLOWING, REBUILDING, HALTED, RETRYING, STOPPED }

    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }
}
