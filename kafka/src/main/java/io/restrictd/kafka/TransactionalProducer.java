package io.restrictd.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

/** Opens transactional producers the one way every restrictd role does. */
public final class TransactionalProducer {
    private TransactionalProducer() {
    }

    /**
     * Creates the producer and calls {@code initTransactions()}: this fences any earlier producer with the
     * same transactional id and aborts whatever transaction it left open. On failure nothing is left open.
     *
     * @param properties from {@link KafkaClient#transactionalProducer}
     * @throws KafkaException if the producer cannot be created or the transaction coordinator does not answer
     */
    public static Producer<byte[], byte[]> open(Properties properties) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties);
        try {
            producer.initTransactions();
        } catch (KafkaException | IllegalStateException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }
}
