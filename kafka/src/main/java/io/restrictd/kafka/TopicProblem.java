package io.restrictd.kafka;

/**
 * Something wrong with an existing topic, and what to do about it.
 *
 * @param topic   the topic's name
 * @param problem what is wrong, one sentence
 * @param fix     the exact command to run, or what to do where no command fixes it
 */
public record TopicProblem(String topic, String problem, String fix) {
    @Override
    public String toString() {
        return "topic " + topic + ": " + problem + "; fix: " + fix;
    }
}
