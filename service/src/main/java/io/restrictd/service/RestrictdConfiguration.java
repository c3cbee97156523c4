package io.restrictd.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.restrictd.service.config.KafkaFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The node's configuration; see ops/config/node.yml for an annotated example of every key. */
public class RestrictdConfiguration extends Configuration {
    @Valid
    @NotNull
    private KafkaFactory kafka = new KafkaFactory();

    @JsonProperty
    public KafkaFactory getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(KafkaFactory kafka) {
        this.kafka = kafka;
    }
}
