package io.restrictd.syncer;

import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.LdapServer;
import io.restrictd.testkit.Slapd;
import org.junit.jupiter.api.extension.RegisterExtension;

/** poll mode against a real slapd and a real broker: the scenarios every mode passes. */
class PollIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static Slapd slapd = new Slapd();

    @Override
    KafkaBroker kafka() {
        return kafka;
    }

    @Override
    LdapServer directory() {
        return slapd;
    }

    @Override
    SyncerSettings.Mode mode() {
        return SyncerSettings.Mode.POLL;
    }

    @Override
    String prefix() {
        return "poll";
    }

    @Override
    void settle() throws InterruptedException {
        Thread.sleep(1500); // a few more polls: unchanged entries must publish nothing
    }
}
