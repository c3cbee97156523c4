package io.restrictd.service.cli;

import io.restrictd.kafka.TransactionalProducer;
import io.restrictd.schema.EventCodec;
import io.restrictd.service.config.KafkaFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Publishes changes with one idempotent, transactional producer: each restriction record (or
 * tombstone) and its audit record are in the same transaction, so readers with
 * {@code read_committed} see both or neither. Large batches are split into transactions of
 * {@code perTransaction} changes; each is committed before the next begins.
 *
 * <p>The transactional id is unique per run ({@code <clientId>-cli-<uuid>}): CLI runs never fence
 * each other, and there is no earlier incarnation whose open transaction would need aborting.
 * Not thread-safe.
 */
final class Publisher implements AutoCloseable {
    private final KafkaFactory kafka;
    private final EventCodec codec;
    private final Properties properties;
    private final Producer<byte[], byte[]> producer;

    /**
     * @throws CliFailure exit 3 if the transaction coordinator cannot be reached, exit 4 if Kafka refuses the
     *                    credentials or no ACL lets them write the transactional id
     */
    Publisher(KafkaFactory kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
        this.properties = kafka.client().transactionalProducer("cli-producer", transactionalId(kafka), 5);
        try {
            this.producer = TransactionalProducer.open(properties);
        } catch (KafkaException e) {
            throw KafkaErrors.failed(kafka, properties, "Write", "starting a transaction", e);
        }
    }

    /**
     * Publishes every change, {@code perTransaction} at a time.
     *
     * @param committed called with the running count of committed changes after each commit
     * @throws CliFailure exit 3 on failure, exit 4 if refused; changes reported to {@code committed} before it stay published
     */
    void publish(List<Change> changes, int perTransaction, IntConsumer committed) {
        int done = 0;
        while (done < changes.size()) {
            int end = Math.min(changes.size(), done + perTransaction);
            try {
                producer.beginTransaction();
                for (Change c : changes.subList(done, end)) {
                    send(c);
                }
                // commitTransaction flushes, and fails if any send of this transaction failed.
                producer.commitTransaction();
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
                throw failed(done, changes.size(), e); // fatal: the producer cannot abort; close() cleans up
            } catch (KafkaException e) {
                abortQuietly();
                throw failed(done, changes.size(), e);
            }
            done = end;
            committed.accept(done);
        }
    }

    private void send(Change c) {
        byte[] key = c.key().wire().getBytes(StandardCharsets.UTF_8);
        byte[] value = c.restriction() == null ? null : codec.encode(c.restriction());
        producer.send(new ProducerRecord<>(kafka.getTopic(), key, value));
        // Same key on the audit topic: one subject's history stays in order within one partition.
        producer.send(new ProducerRecord<>(kafka.getAuditTopic(), key, codec.encode(c.audit())));
    }

    private CliFailure failed(int done, int total, KafkaException e) {
        String doing = "publishing (" + done + " of " + total + " changes committed before the failure)";
        return KafkaErrors.failed(kafka, properties, "Write", doing, e);
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // Already failing; the broker aborts the open transaction when it times out.
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofMillis(kafka.getRequestTimeout().toMilliseconds()));
    }

    /** {@code <clientId>-cli-<uuid>}: ACLs can grant the CLI the prefix {@code <clientId>-cli-}. */
    static String transactionalId(KafkaFactory kafka) {
        return kafka.getClientId() + "-cli-" + UUID.randomUUID();
    }
}
