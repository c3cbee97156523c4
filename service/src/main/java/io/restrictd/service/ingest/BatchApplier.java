package io.restrictd.service.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.service.store.Change;
import io.restrictd.service.store.RestrictionStore;
import io.restrictd.service.store.Position;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one poll's records into store commits of at most {@code ingest.maxCommitChanges} changes, each
 * recording the offsets it covers, and applies the bad-record policy. Used by the ingest thread only.
 *
 * <p>Decoding a record (JSON parsing and validation) costs about half as much as applying it to the
 * store. A large poll (a catch-up or a rebuild) is therefore decoded in chunks on a second thread, one
 * chunk ahead of the ingest thread, which applies the chunks in offset order; a small poll (the steady
 * state: a change or two) is decoded in line, so a single change never waits for a thread hand-off.
 * Either way the store sees exactly the same commits, in the same order.
 */
final class BatchApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);
    static final int DEFAULT_DECODE_CHUNK = 500;

    private final IngestFactory settings;
    private final RecordDecoder decoder;
    private final IngestTracker tracker;
    private final Clock clock;
    private final int decodeChunk;
    private final Meter appliedMeter;
    private final Counter skippedCounter;
    private final Timer commitTimer;
    private final ExecutorService decodeThread;

    BatchApplier(IngestFactory settings, RecordDecoder decoder, IngestTracker tracker, Clock clock,
            MetricRegistry metrics) {
        this(settings, decoder, tracker, clock, metrics, DEFAULT_DECODE_CHUNK);
    }

    BatchApplier(IngestFactory settings, RecordDecoder decoder, IngestTracker tracker, Clock clock,
            MetricRegistry metrics, int decodeChunk) {
        this.settings = settings;
        this.decoder = decoder;
        this.tracker = tracker;
        this.clock = clock;
        this.decodeChunk = decodeChunk;
        this.appliedMeter = metrics.meter("restrictd.ingest.applied");
        this.skippedCounter = metrics.counter("restrictd.ingest.skipped");
        this.commitTimer = metrics.timer("restrictd.store.commit");
        this.decodeThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "restrictd-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Applies {@code records} to {@code store}; the last commit records {@code positionsAfter}, the
     * consumer's positions after the poll (past transaction markers too).
     *
     * @throws HaltedException at a bad record under the HALT policy, once everything before it is committed
     */
    void apply(RestrictionStore store, ConsumerRecords<byte[], byte[]> records,
            Map<Integer, Long> positionsAfter) {
        if (records.isEmpty()) {
            return;
        }
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        List<Change> batch = new ArrayList<>(Math.min(all.size(), settings.getMaxCommitChanges()));
        Map<Integer, Long> next = new HashMap<>();
        if (all.size() <= decodeChunk) {
            applyChunk(store, all, decode(all), batch, next);
        } else {
            ArrayDeque<Future<Decoded[]>> ahead = new ArrayDeque<>();
            try {
                for (int from = 0; from < all.size(); from += decodeChunk) {
                    List<ConsumerRecord<byte[], byte[]>> chunk = all.subList(from, Math.min(all.size(), from + decodeChunk));
                    ahead.add(decodeThread.submit(() -> decode(chunk)));
                }
                for (int from = 0; !ahead.isEmpty(); from += decodeChunk) {
                    Decoded[] decoded = await(ahead.poll());
                    applyChunk(store, all.subList(from, from + decoded.length), decoded, batch, next);
                }
            } finally {
                ahead.forEach(f -> f.cancel(false)); // after a halt or a failed commit: nothing more to decode
            }
        }
        // Apply, then record offset+1 (or past transaction markers), in one commit.
        commit(store, batch, new Position(positionsAfter));
    }

    /** Stops the decode thread. */
    @Override
    public void close() {
        decodeThread.shutdownNow();
    }

    private void applyChunk(RestrictionStore store, List<ConsumerRecord<byte[], byte[]>> records,
            Decoded[] decoded, List<Change> batch, Map<Integer, Long> next) {
        for (int i = 0; i < decoded.length; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            if (decoded[i].error() == null) {
                batch.add(decoded[i].change());
            } else {
                if (settings.getBadRecords() == IngestFactory.BadRecordPolicy.HALT) {
                    commit(store, batch, new Position(next)); // keep everything before the bad record
                    batch.clear();
                }
                skip(record, decoded[i].error());
            }
            next.put(record.partition(), record.offset() + 1);
            if (batch.size() >= settings.getMaxCommitChanges()) {
                commit(store, batch, new Position(next));
                batch.clear();
            }
        }
    }

    private Decoded[] decode(List<ConsumerRecord<byte[], byte[]>> records) {
        Decoded[] out = new Decoded[records.size()];
        for (int i = 0; i < out.length; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            try {
                out[i] = new Decoded(decoder.decode(record.key(), record.value()), null);
            } catch (InvalidEventException e) {
                out[i] = new Decoded(null, e);
            }
        }
        return out;
    }

    private static Decoded[] await(Future<Decoded[]> chunk) {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            throw new InterruptException(e); // ingest is stopping; sets the interrupt flag again
        } catch (ExecutionException e) {
            // decode() catches what a bad record throws; anything else is a bug, thrown as it is.
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("decoding records failed", e.getCause());
        }
    }

    private void commit(RestrictionStore store, List<Change> batch, Position position) {
        try (Timer.Context ignored = commitTimer.time()) {
            store.commit(batch, position, clock.instant(), false);
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

    /** One record, decoded: a change, or why it is not one. */
    private record Decoded(Change change, InvalidEventException error) {
    }

    /** Ingest stops at a bad record under the HALT policy. */
    static final class HaltedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HaltedException(String message) {
            super(message);
        }
    }
}
