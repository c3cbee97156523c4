package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real syncer process through outages: the broker stopped while the directory changes (the syncer keeps
 * running and reports unhealthy; once the broker is back every change is published), and slapd killed while
 * the syncer is in its initial refresh (it reconnects and converges on what the directory says).
 */
class SyncerOutageIT {
    static final int ENTRIES = 10_000;
    /** Generous: these machines are shared, and a loaded one takes long for a full refresh. */
    static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static Slapd slapd = new Slapd(BulkDirectory.ldif("outage", ENTRIES));

    @TempDir
    Path dir;

    SyncerProcess syncer(String id) {
        return new SyncerProcess(id, dir, id, kafka.bootstrapServers(), slapd.url(), slapd.rootPassword(), id);
    }

    static Set<String> keys(String prefix) {
        return CommittedView.read(kafka.bootstrapServers(), prefix + ".restrictions").values().keySet();
    }

    static String modify(String uid, String change) {
        return "dn: uid=" + uid + "," + slapd.peopleDn() + "\nchangetype: modify\n" + change + "\n";
    }

    @Test
    void shouldPublishChangesMadeWhileTheBrokerWasDown() throws Exception {
        try (SyncerProcess s = syncer("brokerdown")) {
            s.start();
            Eventually.within(WAIT, s::logContext, () -> assertThat(s.health().phase()).isEqualTo("persist"));
            Eventually.within(WAIT, s::logContext, () -> assertThat(keys("brokerdown")).hasSize(2 * ENTRIES));

            kafka.stop();
            slapd.ldapmodify(modify("b1", "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: FALSE\n"));
            slapd.ldapmodify(modify("f" + ENTRIES, "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
            slapd.ldapmodify(modify("b2", "replace: mail\nmail: b2.new@example.org\n"));
            slapd.ldapmodify("dn: uid=b3," + slapd.peopleDn() + "\nchangetype: delete\n\n");
            // The topics check may turn health to 500 first (it cannot reach the broker); the syncer's own error
            // follows once it tries to publish the changes above.
            Eventually.within(WAIT, s::logContext, () -> {
                SyncerProcess.Health h = s.health();
                assertThat(h.status()).isEqualTo(500);
                assertThat(h.body().get("lastError")).asString().isNotBlank();
            });
            assertThat(s.isRunning()).as("a broker outage does not end the syncer").isTrue();

            kafka.start();
            Set<String> expected = BulkDirectory.expectedKeys(slapd);
            Eventually.within(WAIT, s::logContext, () -> assertThat(keys("brokerdown")).isEqualTo(expected));
            assertThat(keys("brokerdown")).contains("ldap|sender|b2.new@example.org", "ldap|sender|f" + ENTRIES
                    + "@example.org").doesNotContain("ldap|sender|b1@example.org", "ldap|login|b3");
            Eventually.within(WAIT, s::logContext, () -> assertThat(s.health().status()).isEqualTo(200));
        }
    }

    @Test
    void shouldConvergeWhenSlapdIsKilledDuringTheRefresh() throws Exception {
        try (SyncerProcess s = syncer("ldapkill")) {
            s.start();
            boolean midRefresh = false;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                SyncerProcess.Health h = s.health();
                if ("refresh".equals(h.phase()) && h.body().get("lastChangeSeen") != null) {
                    midRefresh = true;
                    break;
                }
                if ("persist".equals(h.phase())) {
                    break;
                }
                Thread.sleep(20);
            }
            slapd.kill();
            System.out.println("SyncerOutageIT: slapd killed " + (midRefresh ? "during" : "after") + " the refresh");
            slapd.ldapsearch("(uid=nobody)"); // fails: slapd is down
            Thread.sleep(1500);
            slapd.start();
            slapd.ldapmodify(modify("b10", "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: FALSE\n"));
            slapd.ldapmodify(modify("b11", "add: mail\nmail: b11.second@example.org\n"));
            Set<String> expected = BulkDirectory.expectedKeys(slapd);
            Eventually.within(WAIT, s::logContext, () -> assertThat(keys("ldapkill")).isEqualTo(expected));
            assertThat(keys("ldapkill")).contains("ldap|sender|b11.second@example.org")
                    .doesNotContain("ldap|sender|b10@example.org");
            Eventually.within(WAIT, s::logContext, () -> assertThat(s.health().status()).isEqualTo(200));
            assertThat(Long.parseLong(String.valueOf(s.health().body().get("reconnects")))).isPositive();
        }
    }
}
