package io.restrictd.kafka;

import java.util.List;
import org.apache.kafka.common.KafkaException;

/** Topics restrictd needs do not exist; the message says which and how to create them. */
public final class MissingTopicsException extends KafkaException {
    private final List<String> topics;

    public MissingTopicsException(List<String> topics, String message) {
        super(message);
        this.topics = List.copyOf(topics);
    }

    /** The missing topics' names. */
    public List<String> topics() {
        return topics;
    }

    /** How to create topics restrictd's way, for messages. */
    static String howToCreate(List<TopicSpec> specs, String bootstrapServers) {
        StringBuilder s = new StringBuilder("create " + (specs.size() == 1 ? "it" : "them")
                + " with 'restrictd topics create --config FILE'"
                + " or by hand (docs/kafka-topics.md):");
        for (TopicSpec spec : specs) {
            s.append(" ").append(spec.kafkaTopicsCommand(bootstrapServers)).append(';');
        }
        s.setLength(s.length() - 1);
        return s.toString();
    }
}
