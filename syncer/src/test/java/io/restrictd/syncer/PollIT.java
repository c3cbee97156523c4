package io.restrictd.syncer;

import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.LdapFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** poll mode against a real slapd and a real broker: the scenarios every mode passes. */
class PollIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static LdapFixture slapd = Fixtures.openLdap();

    PollIT() {
        super(kafka, slapd, SyncerSettings.Mode.POLL, "poll");
    }

    @Override
    void settle() throws InterruptedException {
        Thread.sleep(1500); // a few more polls: unchanged entries must publish nothing
    }
}
