package io.restrictd.syncer.publish;

import io.restrictd.kafka.TransactionalProducer;
import io.restrictd.schema.AuditEvent;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.position.SyncPosition;
import io.restrictd.syncer.state.ChangeSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a change set and the position it brings the syncer to in one Kafka transaction, with the
 * transactional id {@code restrictd-syncer-<id>}: a second syncer with the same id fences this one, and
 * {@code initTransactions} aborts whatever an earlier incarnation left open.
 *
 * <p>Any failure closes the producer; it is never reused after an error whose outcome is unknown (a
 * commit that timed out may or may not have happened). The caller must then re-read the committed state
 * before publishing again. Not thread-safe.
 */
public final class SyncPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncPublisher.class);

    private final KafkaSettings kafka;
    private final String syncerId;
    private final EventCodec codec;
    private final Clock clock;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong tombstones = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private Producer<byte[], byte[]> producer;

    public SyncPublisher(KafkaSettings kafka, String syncerId, EventCodec codec, Clock clock) {
        this.kafka = kafka;
        this.syncerId = syncerId;
        this.codec = codec;
        this.clock = clock;
    }

    /** Creates the producer and fences earlier incarnations, if not open yet. */
    public void open() {
        if (producer != null) {
            return;
        }
        producer = TransactionalProducer.open(properties());
    }

    /**
     * Publishes {@code changes} and {@code position} atomically. On return the transaction has committed:
     * only then may the caller apply the changes to its state and trust the position.
     *
     * @throws KafkaException if it failed; the producer is closed, and whether the transaction committed
     *                        is unknown
     */
    public void publish(ChangeSet changes, SyncPosition position) {
        open();
        Instant now = clock.instant();
        try {
            producer.beginTransaction();
            for (Restriction r : changes.puts().values()) {
                send(r.key(), codec.encode(r), new AuditEvent(AuditEvent.Op.ADD, r.key(), r, actor(), null, null, now));
            }
            for (RestrictionKey key : changes.tombstones()) {
                send(key, null, new AuditEvent(AuditEvent.Op.LIFT, key, null, actor(), "entry no longer restricted",
                        null, now));
            }
            producer.send(new ProducerRecord<>(kafka.stateTopic(), syncerId.getBytes(StandardCharsets.UTF_8),
                    position.encode()));
            // commitTransaction flushes, and fails if any send of this transaction failed.
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("publishing {} changes failed, closing the producer: {}", changes.size(), e.toString());
            closeProducer();
            throw e instanceof KafkaException k ? k : new KafkaException(e);
        }
        records.addAndGet(changes.puts().size());
        tombstones.addAndGet(changes.tombstones().size());
        commits.incrementAndGet();
    }

    private void send(RestrictionKey key, byte[] value, AuditEvent audit) {
        byte[] k = key.wire().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(kafka.topic(), k, value));
        producer.send(new ProducerRecord<>(kafka.auditTopic(), k, codec.encode(audit)));
    }

    private String actor() {
        return "syncer:" + syncerId;
    }

    public long recordsPublished() {
        return records.get();
    }

    public long tombstonesPublished() {
        return tombstones.get();
    }

    public long commits() {
        return commits.get();
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing the producer: {}", e.toString());
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        closeProducer();
    }

    private Properties properties() {
        Properties p = kafka.client().transactionalProducer("syncer-producer", "restrictd-syncer-" + syncerId, 2);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        return p;
    }
}
