package io.restrictd.kafka;

/**
 * Something wrong with a topic, and what to do about it.
 *
 * @param kind    what sort of problem, for callers that treat some as fatal
 * @param topic   the topic's name
 * @param problem what is wrong, one sentence
 * @param fix     the exact command to run, or what to do where no command fixes it
 */
public record TopicProblem(Kind kind, String topic, String problem, String fix) {
    /** The problems {@link TopicCheck} finds. */
    public enum Kind {
        /** The topic does not exist. */
        MISSING,
        /** A topic that must be compacted is not: its records expire. */
        NOT_COMPACTED,
        /** Replication factor 1 on a cluster of several brokers. */
        UNREPLICATED,
        /** delete.retention.ms shorter than the longest a node may be offline. */
        SHORT_DELETE_RETENTION,
        /** The restrictions topic's partition count changed since last seen. */
        PARTITIONS_CHANGED
    }

    @Override
    public String toString() {
        return "topic " + topic + ": " + problem + "; fix: " + fix;
    }
}
