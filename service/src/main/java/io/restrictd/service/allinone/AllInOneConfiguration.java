package io.restrictd.service.allinone;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import io.restrictd.service.RestrictdConfiguration;
import io.restrictd.service.syncer.LdapFactory;
import io.restrictd.service.syncer.MappingFactory;
import io.restrictd.service.syncer.SyncerConfiguration;
import io.restrictd.service.syncer.SyncerFactory;
import io.restrictd.syncer.SyncerSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * All-in-one's configuration ({@code ops/config/all-in-one.yml}): the node's sections as they are, the
 * syncer's ({@code syncer}, {@code ldap}, {@code mapping}) as they are, and {@code broker} for the embedded
 * broker. The one {@code kafka:} section serves node, syncer and CLI, and must point at the embedded broker.
 */
public class AllInOneConfiguration extends RestrictdConfiguration {
    @Valid
    @NotNull
    @JsonProperty
    public BrokerFactory broker = new BrokerFactory();

    @Valid
    @NotNull
    @JsonProperty
    public EmbeddedSyncerFactory syncer = new EmbeddedSyncerFactory();

    @Valid
    @NotNull
    @JsonProperty
    public LdapFactory ldap = new LdapFactory();

    @Valid
    @NotNull
    @JsonProperty
    public MappingFactory mapping = new MappingFactory();

    /** The standalone syncer's section, without an admin endpoint: here its health and metrics are the node's. */
    public static class EmbeddedSyncerFactory extends SyncerFactory {
        public EmbeddedSyncerFactory() {
            adminListen = "";
        }
    }

    /**
     * The syncer's settings, validated exactly as the standalone syncer's are.
     *
     * @throws IllegalArgumentException naming the setting at fault
     */
    public SyncerSettings syncerSettings(Map<String, String> env) {
        SyncerConfiguration c = new SyncerConfiguration();
        c.syncer = syncer;
        c.kafka = getKafka();
        c.ldap = ldap;
        c.mapping = mapping;
        return c.toSettings(env);
    }

    @ValidationMethod(message = "kafka.bootstrapServers must be broker.listen: in all-in-one every client talks to"
            + " the embedded broker")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isKafkaTheEmbeddedBroker() {
        return broker.listen.equals(getKafka().getBootstrapServers());
    }

    @ValidationMethod(message = "syncer.adminListen is not used by all-in-one (the syncer's health and metrics are"
            + " on the node's admin port): remove it")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isSyncerWithoutItsOwnAdmin() {
        return syncer.adminListen == null || syncer.adminListen.isBlank();
    }
}
