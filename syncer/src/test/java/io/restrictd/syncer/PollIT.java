package io.restrictd.syncer;

import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import org.junit.jupiter.api.extension.RegisterExtension;

/** poll mode against a real slapd and a real broker: the scenarios every mode passes. */
class PollIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static Slapd slapd = new Slapd();

    PollIT() {
        super(kafka, slapd, SyncerSettings.Mode.POLL, "poll");
    }

    @Override
    void settle() throws InterruptedException {
        Thread.sleep(1500); // a few more polls: unchanged entries must publish nothing
    }
}
