package io.restrictd.kafka;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/** How a failed admin call on the topics is reported, the same for creating and for checking them. */
final class AdminFailures {
    private AdminFailures() {
    }

    /**
     * The exception to throw for {@code e}, thrown by a future's {@code get}: the broker's own error, or a
     * timeout naming the brokers. Restores the interrupt flag when interrupted.
     */
    static RuntimeException of(Exception e, String bootstrap, long timeoutMs) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new KafkaException("interrupted while checking topics", e);
        }
        if (e instanceof ExecutionException) {
            return e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        }
        if (e instanceof TimeoutException) {
            return new org.apache.kafka.common.errors.TimeoutException("no answer from " + bootstrap + " within "
                    + timeoutMs + " ms while checking topics");
        }
        return e instanceof RuntimeException r ? r : new KafkaException(e);
    }
}
