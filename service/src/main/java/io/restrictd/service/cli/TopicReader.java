package io.restrictd.service.cli;

import io.restrictd.kafka.MissingTopicsException;
import io.restrictd.schema.EventCodec;
import io.restrictd.service.config.KafkaFactory;
import org.apache.kafka.common.KafkaException;

/**
 * Reads the whole restrictions topic into a {@link RestrictionView} with the shared
 * {@link io.restrictd.kafka.TopicReader}: every partition, {@code read_committed}, up to the end offsets
 * captured at the start. Records committed after that point are not waited for.
 */
final class TopicReader {
    private final KafkaFactory kafka;
    private final EventCodec codec;

    TopicReader(KafkaFactory kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /**
     * @throws CliFailure exit 2 if the topic does not exist, exit 3 if the brokers do not answer (exit 4 if they refuse) or
     *                    no progress is made for a whole request timeout
     */
    RestrictionView read() {
        RestrictionView view = new RestrictionView(codec, kafka.getTopic());
        try {
            new io.restrictd.kafka.TopicReader(kafka.client(), "cli-reader").readToEnd(kafka.getTopic(), view::apply);
        } catch (MissingTopicsException e) {
            throw CliFailure.usage(e.getMessage() + " (nothing published yet, or kafka.topic is wrong)");
        } catch (KafkaException e) {
            throw KafkaErrors.failed(kafka, kafka.client().consumer("cli-reader"), "Read", "reading " + kafka.getTopic(), e);
        }
        return view;
    }
}
