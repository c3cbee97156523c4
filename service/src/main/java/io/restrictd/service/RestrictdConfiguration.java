package io.restrictd.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.restrictd.service.config.KafkaFactory;
import io.restrictd.service.config.LookupFactory;
import io.restrictd.service.config.StoreFactory;
import io.restrictd.service.ingest.IngestFactory;
import io.restrictd.service.protocol.policy.PolicyFactory;
import io.restrictd.service.protocol.socketmap.SocketmapFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The node's configuration; ops/config/node.yml is an annotated example of every key. */
public class RestrictdConfiguration extends Configuration {
    @Valid
    @NotNull
    private KafkaFactory kafka = new KafkaFactory();

    @Valid
    @NotNull
    private StoreFactory store = new StoreFactory();

    @Valid
    @NotNull
    private IngestFactory ingest = new IngestFactory();

    @Valid
    @NotNull
    private LookupFactory lookup = new LookupFactory();

    @Valid
    @NotNull
    private SocketmapFactory socketmap = new SocketmapFactory();

    @Valid
    @NotNull
    private PolicyFactory policy = new PolicyFactory();

    @JsonProperty
    public KafkaFactory getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(KafkaFactory kafka) {
        this.kafka = kafka;
    }

    @JsonProperty
    public StoreFactory getStore() {
        return store;
    }

    @JsonProperty
    public void setStore(StoreFactory store) {
        this.store = store;
    }

    @JsonProperty
    public IngestFactory getIngest() {
        return ingest;
    }

    @JsonProperty
    public void setIngest(IngestFactory ingest) {
        this.ingest = ingest;
    }

    @JsonProperty
    public LookupFactory getLookup() {
        return lookup;
    }

    @JsonProperty
    public void setLookup(LookupFactory lookup) {
        this.lookup = lookup;
    }

    @JsonProperty
    public SocketmapFactory getSocketmap() {
        return socketmap;
    }

    @JsonProperty
    public void setSocketmap(SocketmapFactory socketmap) {
        this.socketmap = socketmap;
    }

    @JsonProperty
    public PolicyFactory getPolicy() {
        return policy;
    }

    @JsonProperty
    public void setPolicy(PolicyFactory policy) {
        this.policy = policy;
    }
}
