package io.restrictd.service.cli;

import io.restrictd.service.config.KafkaFactory;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;

/** Turns Kafka client failures into one-line {@link CliFailure}s naming the brokers. */
final class KafkaErrors {
    private KafkaErrors() {
    }

    /**
     * @param doing what was being attempted, e.g. "reading restrictd.restrictions"
     */
    static CliFailure unavailable(KafkaFactory kafka, String doing, Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String why = cause instanceof TimeoutException || cause instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + kafka.getRequestTimeout()
                : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
        return CliFailure.unavailable("Kafka unavailable at " + kafka.getBootstrapServers() + " while " + doing
                + ": " + why, cause);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
