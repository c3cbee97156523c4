package io.restrictd.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.kafka.TopicSettings;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TopicHealthCheckTest {
    private final KafkaClient nowhere = new KafkaClient("127.0.0.1:1", "unit", Duration.ofMillis(500), Map.of());
    private final TopicHealthCheck check = new TopicHealthCheck(nowhere,
            TopicCheck.restrictionsOnly(nowhere, TopicSettings.defaults(), Duration.ofHours(24)), OptionalInt::empty,
            Duration.ofMinutes(1));

    @Test
    void shouldBeHealthyBeforeTheFirstCheckWithoutWaitingForKafka() {
        long t0 = System.nanoTime();
        HealthCheck.Result r = check.execute();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
        assertThat(r.isHealthy()).isTrue();
        assertThat(r.getMessage()).isEqualTo("topics not checked yet");
    }

    @Test
    void shouldLeaveUnreachableKafkaToTheKafkaCheckAndSayTheLastCheckFailed() {
        HealthCheck.Result r = check.runCheck();
        assertThat(r.isHealthy()).isTrue();
        assertThat(r.getMessage()).startsWith("topics not checked yet (last check failed: ")
                .contains("127.0.0.1:1");
        assertThat(check.runCheck().getMessage()).as("not repeated").containsOnlyOnce("last check failed");
    }
}
