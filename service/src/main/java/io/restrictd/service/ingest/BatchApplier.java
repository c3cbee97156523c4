package io.restrictd.service.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.service.store.Change;
import io.restrictd.service.store.MapDbRestrictionStore;
import io.restrictd.service.store.Position;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one poll's records into store commits of at most {@code ingest.maxCommitChanges} changes, each
 * recording the offsets it covers, and applies the bad-record policy. Used by the ingest thread only.
 */
final class BatchApplier {
    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);

    private final IngestFactory settings;
    private final RecordDecoder decoder;
    private final IngestTracker tracker;
    private final Clock clock;
    private final Meter appliedMeter;
    private final Counter skippedCounter;
    private final Timer commitTimer;

    BatchApplier(IngestFactory settings, RecordDecoder decoder, IngestTracker tracker, Clock clock,
            MetricRegistry metrics) {
        this.settings = settings;
        this.decoder = decoder;
        this.tracker = tracker;
        this.clock = clock;
        this.appliedMeter = metrics.meter("restrictd.ingest.applied");
        this.skippedCounter = metrics.counter("restrictd.ingest.skipped");
        this.commitTimer = metrics.timer("restrictd.store.commit");
    }

    /**
     * Applies {@code records} to {@code store}; the last commit records {@code positionsAfter}, the
     * consumer's positions after the poll (past transaction markers too).
     *
     * @throws HaltedException at a bad record under the HALT policy, once everything before it is committed
     */
    void apply(MapDbRestrictionStore store, ConsumerRecords<byte[], byte[]> records,
            Map<Integer, Long> positionsAfter) {
        if (records.isEmpty()) {
            return;
        }
        List<Change> batch = new ArrayList<>(Math.min(records.count(), settings.getMaxCommitChanges()));
        Map<Integer, Long> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                batch.add(decoder.decode(record.key(), record.value()));
            } catch (InvalidEventException e) {
                if (settings.getBadRecords() == IngestFactory.BadRecordPolicy.HALT) {
                    commit(store, batch, new Position(next)); // keep everything before the bad record
                }
                skip(record, e);
            }
            next.put(record.partition(), record.offset() + 1);
            if (batch.size() >= settings.getMaxCommitChanges()) {
                commit(store, batch, new Position(next));
                batch.clear();
            }
        }
        // Apply, then record offset+1 (or past transaction markers), in one commit.
        commit(store, batch, new Position(positionsAfter));
    }

    private void commit(MapDbRestrictionStore store, List<Change> batch, Position position) {
        try (Timer.Context ignored = commitTimer.time()) {
            store.commit(batch, position, clock.instant());
        }
        appliedMeter.mark(batch.size());
        tracker.applied(batch.size());
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, InvalidEventException e) {
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        if (settings.getBadRecords() == IngestFactory.BadRecordPolicy.HALT) {
            throw new HaltedException("bad record at " + where + ": " + e.getMessage());
        }
        skippedCounter.inc();
        tracker.skipped(where + ": " + e.getMessage(), clock.instant());
        LOG.warn("skipped bad record at {}: {}", where, e.getMessage());
    }

    /** Ingest stops at a bad record under the HALT policy. */
    static final class HaltedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HaltedException(String message) {
            super(message);
        }
    }
}
