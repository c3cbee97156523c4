package io.restrictd.service.cli;

import io.restrictd.kafka.AccessFailures;
import io.restrictd.service.config.KafkaFactory;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Turns Kafka client failures into one-line {@link CliFailure}s naming the brokers: a refusal (credentials,
 * TLS, ACL) exits 4 naming the principal, operation and resource; anything else exits 3.
 */
final class KafkaErrors {
    private KafkaErrors() {
    }

    /**
     * @param client    the properties of the client that failed (its transactional id, group, user)
     * @param operation the ACL operation the call needed, e.g. {@code Write}, or null
     * @param doing     what was being attempted, e.g. "reading restrictd.restrictions"
     */
    static CliFailure failed(KafkaFactory kafka, Properties client, String operation, String doing, Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        var refused = AccessFailures.explain(cause, client, operation);
        if (refused.isPresent()) {
            return CliFailure.refused(refused.get() + " while " + doing, cause);
        }
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
