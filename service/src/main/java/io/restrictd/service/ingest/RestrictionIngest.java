package io.restrictd.service.ingest;

import static io.restrictd.service.ingest.ConsumerPositions.lags;
import static io.restrictd.service.ingest.ConsumerPositions.lagsFrom;
import static io.restrictd.service.ingest.ConsumerPositions.positions;
import static io.restrictd.service.ingest.ConsumerPositions.positionsByPartition;
import static io.restrictd.service.ingest.ConsumerPositions.reached;
import static io.restrictd.service.ingest.ConsumerPositions.seekTo;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.restrictd.schema.EventCodec;
import io.restrictd.service.config.KafkaFactory;
import io.restrictd.service.core.Readiness;
import io.restrictd.service.store.Position;
import io.restrictd.service.store.RestrictionStore;
import io.restrictd.service.store.StoreDirectory;
import io.restrictd.service.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the restrictions topic into the store, on one thread.
 *
 * <p>Every node reads every partition ({@code assign()}, no group) with {@code read_committed}, from
 * the position held in the store. Each batch is applied and its offsets recorded in one store commit,
 * so a crash at any instant resumes exactly where the store left off.
 *
 * <p>Readiness: a node with an empty store is ready once it has reached the end offsets seen at its
 * start; a node that starts with a store that was caught up once is ready at once and catches up behind, so a
 * restart while Kafka is down keeps answering. A store that never was (the node died during its first load) is
 * treated as an empty one: ready only once caught up. A store whose position falls before a partition's log start, or that
 * was last caught up longer ago than {@code ingest.maxOffline} (compaction may have dropped tombstones
 * it never saw), is rebuilt into a fresh generation while the old one keeps answering, then swapped.
 */
public final class RestrictionIngest implements Managed, Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(RestrictionIngest.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LIVENESS = Duration.ofSeconds(2);
    private static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DISCOVERY = Duration.ofMinutes(1);
    private static final Duration REPEAT_WARNING = Duration.ofMinutes(1);

    private final KafkaFactory kafka;
    private final IngestFactory settings;
    private final StoreDirectory stores;
    private final BatchApplier applier;
    private final Clock clock;
    private final IngestTracker tracker;
    private final Duration syncRefresh;

    private String lastWarning;
    private Instant lastWarningAt = Instant.EPOCH;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public RestrictionIngest(KafkaFactory kafka, IngestFactory settings, StoreDirectory stores, EventCodec codec,
            Clock clock, MetricRegistry metrics) {
        this.kafka = kafka;
        this.settings = settings;
        this.stores = stores;
        this.clock = clock;
        // Often enough that a caught-up node never looks stale to the health check.
        this.syncRefresh = min(Duration.ofSeconds(30), settings.getStaleAfter().toJavaDuration().dividedBy(3));
        // Only a store that was caught up once answers at once: one killed during its first load holds part of the
        // topic, and its "not found" would be wrong for the rest (it answers TEMP until caught up, as a new one).
        Instant synced = stores.current().syncedAt();
        this.tracker = new IngestTracker(synced != null, synced);
        this.applier = new BatchApplier(settings, new RecordDecoder(codec), tracker, clock, metrics);
        metrics.gauge("restrictd.ingest.lag", () -> () -> tracker.snapshot().totalLag());
        metrics.gauge("restrictd.store.size", () -> () -> stores.current().size());
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "restrictd-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            // The wakeup ends a poll and lets the thread close its consumer cleanly; an interrupt at once would
            // land in that close (an ERROR with a stack trace at every shutdown). Interrupt only a thread still
            // busy after that, e.g. sleeping out a retry backoff.
            thread.join(2_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(8_000);
            }
        }
        applier.close();
        tracker.state(IngestStatus.State.STOPPED);
    }

    @Override
    public boolean ready() {
        return tracker.ready();
    }

    @Override
    public String notReadyReason() {
        return tracker.notReadyReason();
    }

    public IngestStatus status() {
        return tracker.snapshot();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                if (running) {
                    LOG.warn("ingest woken up unexpectedly; restarting the consumer");
                }
            } catch (BatchApplier.HaltedException e) {
                tracker.halted(e.getMessage());
                LOG.error("ingest halted (ingest.badRecords: HALT): {}; lookups keep answering from the store",
                        e.getMessage());
                return;
            } catch (KafkaException | StoreException | IllegalStateException e) {
                if (!running) {
                    break;
                }
                tracker.failed(e);
                warn(e.toString());
                sleep(settings.getRetryBackoff().toMilliseconds());
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = partitions(c);
        c.assign(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        tracker.kafkaOk(clock.instant());
        tracker.target(end);
        if (needsRebuild(c, partitions)) {
            rebuild(c, partitions, end);
        }
        seekTo(c, partitions, stores.current().position());
        tracker.state(IngestStatus.State.CATCHING_UP);
        Instant lastSweep = clock.instant();
        Instant lastDiscovery = lastSweep;
        Instant lastCheck = Instant.EPOCH;
        Instant lastSync = Instant.EPOCH;
        while (running) {
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            Instant now = clock.instant();
            applier.apply(stores.current(), records, positionsByPartition(c, partitions));
            Map<TopicPartition, Long> positions = positions(c, partitions);
            if (tracker.observe(positions, lags(c, partitions)) && stores.current().syncedAt() == null) {
                // A store's first catch-up is recorded at once, in this iteration (a stop lets it finish): until it
                // is, a restart would not trust the store and would answer TEMP.
                stores.current().commit(List.of(), new Position(positionsByPartition(c, partitions)), now, true);
                tracker.synced(now);
                lastSync = now;
            }
            if (Duration.between(lastCheck, now).compareTo(LIVENESS) >= 0) {
                // An empty poll proves nothing (it is what a gone broker gives too): ask the broker for
                // the end offsets. A timeout here ends this consumer, and run() retries with backoff.
                Map<TopicPartition, Long> ends = c.endOffsets(partitions, LIVENESS_TIMEOUT);
                tracker.kafkaOk(now);
                lastCheck = now;
                boolean caughtUp = tracker.observe(positions, lagsFrom(ends, positions));
                if (caughtUp && Duration.between(lastSync, now).compareTo(syncRefresh) >= 0) {
                    // Record that this store was caught up now, with the position it covers.
                    stores.current().commit(List.of(), new Position(positionsByPartition(c, partitions)), now, true);
                    tracker.synced(now);
                    lastSync = now;
                }
            }
            if (Duration.between(lastSweep, now).toMillis() >= settings.getSweepInterval().toMilliseconds()) {
                int swept = stores.current().sweepExpired(now, settings.getMaxCommitChanges());
                if (swept > 0) {
                    LOG.info("swept {} expired restrictions", swept);
                }
                lastSweep = now;
            }
            if (Duration.between(lastDiscovery, now).compareTo(DISCOVERY) >= 0) {
                lastDiscovery = now;
                if (!partitions(c).equals(partitions)) {
                    LOG.info("partitions of {} changed; reassigning", kafka.getTopic());
                    return; // the caller starts over with a new consumer over every partition
                }
            }
        }
    }

    private boolean needsRebuild(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        RestrictionStore store = stores.current();
        if (store.position().isUnknown()) {
            return false; // empty: it reads from the beginning anyway
        }
        Map<TopicPartition, Long> start = c.beginningOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long next = store.position().next(tp.partition());
            if (next >= 0 && next < start.get(tp)) {
                LOG.warn("store position {} for {} is before the log start {}: rebuilding", next, tp, start.get(tp));
                return true;
            }
        }
        Instant synced = store.syncedAt();
        Instant limit = clock.instant().minusMillis(settings.getMaxOffline().toMilliseconds());
        if (synced == null || synced.isBefore(limit)) {
            LOG.warn("store last caught up at {}, longer ago than ingest.maxOffline ({}): rebuilding",
                    synced, settings.getMaxOffline());
            return true;
        }
        return false;
    }

    /** Reads the topic from the beginning into a fresh generation while the live one answers. */
    private void rebuild(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        tracker.state(IngestStatus.State.REBUILDING);
        RestrictionStore fresh = stores.createFresh();
        boolean promoted = false;
        try {
            c.seekToBeginning(partitions);
            while (running && !reached(c, partitions, end)) {
                applier.apply(fresh, c.poll(POLL), positionsByPartition(c, partitions));
                tracker.kafkaOk(clock.instant());
            }
            if (running) {
                Instant now = clock.instant();
                fresh.commit(List.of(), new Position(positionsByPartition(c, partitions)), now, true);
                stores.promote(fresh);
                promoted = true;
                tracker.rebuilt(now);
            }
        } finally {
            if (!promoted) {
                fresh.close();
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(kafka.getTopic(), kafka.getRequestTimeout().toJavaDuration());
        if (infos == null || infos.isEmpty()) {
            // This node never creates it (its consumer cannot): a topic made by a broker's auto-creation would
            // not be compacted. It waits, unready unless it has a store, and retries.
            throw new IllegalStateException("topic '" + kafka.getTopic() + "' (kafka.topic) does not exist on "
                    + kafka.getBootstrapServers() + "; waiting for it: create it with 'restrictd topics create"
                    + " --config FILE' (docs/kafka-topics.md)");
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo info : infos) {
            out.add(new TopicPartition(info.topic(), info.partition()));
        }
        return out;
    }

    /**
     * Logs a failure that ends a retry; the same one again only once a {@link #REPEAT_WARNING}: a full disk or a
     * gone broker fails every {@code ingest.retryBackoff} for as long as it lasts, and health says so meanwhile.
     */
    private void warn(String why) {
        Instant now = clock.instant();
        if (why.equals(lastWarning) && Duration.between(lastWarningAt, now).compareTo(REPEAT_WARNING) < 0) {
            LOG.debug("ingest: {} ; retrying in {}", why, settings.getRetryBackoff());
            return;
        }
        LOG.warn("ingest: {} ; retrying every {} (the same failure is logged again at most once a minute)", why,
                settings.getRetryBackoff());
        lastWarning = why;
        lastWarningAt = now;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Properties consumerProperties() {
        Properties p = kafka.client().consumer("ingest"); // read_committed, never creates a topic
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", String.valueOf(settings.getMaxPollRecords()));
        return p;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
