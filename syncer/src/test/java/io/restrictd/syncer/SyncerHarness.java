package io.restrictd.syncer;

import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.schema.AccessAction;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.syncer.publish.KafkaSettings;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.LdapFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a real syncer on a thread against the test's slapd and broker. */
final class SyncerHarness implements AutoCloseable {
    private final Syncer syncer;
    private final com.codahale.metrics.MetricRegistry registry = new com.codahale.metrics.MetricRegistry();
    private final Thread thread;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    SyncerHarness(SyncerSettings settings) {
        this.syncer = SyncerComponents.build(settings, Clock.systemUTC(), registry);
        this.thread = new Thread(() -> {
            try {
                syncer.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "syncer-" + settings.id());
        thread.start();
    }

    static SyncerSettings settings(String id, SyncerSettings.Mode mode, LdapFixture slapd, String base, KafkaFixture kafka,
            String prefix) {
        Mapping mapping = new Mapping("ldap", List.of("mail", "mailAlternateAddress"), List.of("uid"),
                AccessAction.parse("REJECT This account is not allowed to send emails"),
                "smtpdSenderRestrictionMessage", "smtpdSenderRestrictionAction", "smtpdSenderRestrictionExpiry");
        LdapSettings ldap = new LdapSettings(List.of("ldap://127.0.0.1:1", slapd.url()), slapd.rootDn(),
                slapd.rootPassword(), base, "sub", "(smtpdSenderRestrictions=TRUE)", mapping.requestedAttributes(),
                false, null, null, Duration.ofSeconds(5));
        KafkaSettings k = new KafkaSettings(new KafkaClient(kafka.bootstrapServers(), "it", Duration.ofSeconds(15),
                Map.of()), new TopicSettings(prefix + ".restrictions", prefix + ".audit", prefix + ".state",
                TopicSettings.DEFAULT_LEADER_TOPIC, 3, 0, 0, TopicSettings.DEFAULT_DELETE_RETENTION, null));
        return new SyncerSettings(id, mode, Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2),
                ldap, mapping, k);
    }

    Syncer syncer() {
        return syncer;
    }

    /** The registry the syncer's metrics ({@code syncer.*}) are in. */
    com.codahale.metrics.MetricRegistry registry() {
        return registry;
    }

    @Override
    public void close() throws InterruptedException {
        syncer.close();
        thread.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError("syncer failed", failure.get());
        }
    }
}
