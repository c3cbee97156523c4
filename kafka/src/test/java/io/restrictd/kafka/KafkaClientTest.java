package io.restrictd.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientTest {
    private final KafkaClient client = new KafkaClient("b:1", "restrictd", Duration.ofSeconds(7),
            Map.of("allow.auto.create.topics", "true", "security.protocol", "SASL_SSL"));

    @Test
    void shouldNeverLetPassThroughPropertiesTurnTopicAutoCreationBackOn() {
        assertThat(client.consumer("ingest")).containsEntry("allow.auto.create.topics", "false")
                .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false");
    }

    @Test
    void shouldPassSecuritySettingsAndNameTheRole() {
        assertThat(client.common("cli-reader")).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("client.id", "restrictd-cli-reader").containsEntry("request.timeout.ms", 7000)
                .containsEntry("bootstrap.servers", "b:1");
    }

    @Test
    void shouldSetUpAnIdempotentTransactionalProducer() {
        assertThat(client.transactionalProducer("cli-producer", "restrictd-cli-x", 5))
                .containsEntry("transactional.id", "restrictd-cli-x").containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all").containsEntry("linger.ms", "5").containsEntry("max.block.ms", "7000");
    }
}
