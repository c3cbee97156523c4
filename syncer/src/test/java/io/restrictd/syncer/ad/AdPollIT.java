package io.restrictd.syncer.ad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.SambaAdDc;
import java.time.Clock;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** poll mode against a real Samba AD DC and a real broker. */
class AdPollIT extends AdScenarios {
    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static SambaAdDc ad = new SambaAdDc();

    AdPollIT() {
        super(kafka, ad, SyncerSettings.Mode.POLL, "adpoll");
    }

    @Test
    @Order(10)
    void shouldPollWithAnAccountThatHasNoDirsyncRight() throws Exception {
        ad.load(lowPrivileged("reader", "Reader-pw1"));
        ad.ldapmodify(replace("CN=live0," + PEOPLE, "userAccountControl", "544"));
        try (Running s = new Running(io.restrictd.syncer.SyncerComponents.build(settings("reader@example.org", "Reader-pw1"), Clock.systemUTC(), new com.codahale.metrics.MetricRegistry()))) {
            awaitView("live0 lifted by the low-privileged poller",
                    v -> !v.containsKey("ldap|sender|live0@example.org"));
            assertTrue(view().containsKey("ldap|sender|live1@example.org"));
        }
    }
}
