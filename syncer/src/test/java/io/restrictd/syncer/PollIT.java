package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** poll mode against a real slapd and a real broker: the core scenarios, then a restart. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PollIT {
    static final String PREFIX = "poll";
    static final String TOPIC = PREFIX + ".restrictions";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static Slapd slapd = new Slapd();

    static String base;
    static SyncerHarness syncer;

    @AfterAll
    static void stopSyncer() throws InterruptedException {
        stop();
    }

    static void start() {
        syncer = new SyncerHarness(SyncerHarness.settings("poll-it", SyncerSettings.Mode.POLL, slapd, base, kafka,
                PREFIX));
    }

    static void stop() throws InterruptedException {
        if (syncer != null) {
            syncer.close();
            syncer = null;
        }
    }

    static Set<String> keys() {
        return TopicView.read(kafka.bootstrapServers(), TOPIC).values().keySet();
    }

    static long records() {
        return TopicView.read(kafka.bootstrapServers(), TOPIC).records();
    }

    static void expect(String... keys) throws InterruptedException {
        Eventually.within(WAIT, () -> assertThat(keys()).containsExactlyInAnyOrder(keys));
    }

    static String modify(String uid, String change) {
        return "dn: uid=" + uid + "," + base + "\nchangetype: modify\n" + change + "\n";
    }

    @Test
    @Order(1)
    void shouldLoadRestrictedEntriesOnly() throws InterruptedException {
        base = "ou=poll," + slapd.baseDn();
        slapd.ldapadd("dn: " + base + "\nobjectClass: organizationalUnit\nou: poll\n\n"
                + "dn: ou=elsewhere," + slapd.baseDn() + "\nobjectClass: organizationalUnit\nou: elsewhere\n\n"
                + SyncreplITPerson.person(base, "u1", true, "u1@example.org")
                + SyncreplITPerson.person(base, "u2", false, "u2@example.org")
                + SyncreplITPerson.person(base, "u3", true, "u3@example.org", "u3.alt@example.org"));
        start();
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3");
    }

    @Test
    @Order(2)
    void shouldFollowChangesByPolling() throws InterruptedException {
        slapd.ldapadd(SyncreplITPerson.person(base, "u4", true, "u4@example.org"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u4@example.org"));

        slapd.ldapmodify(modify("u2", "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u2@example.org"));
        slapd.ldapmodify(modify("u2", "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: FALSE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u2@example.org"));

        slapd.ldapmodify(modify("u1", "replace: mail\nmail: u1.new@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u1.new@example.org")
                .doesNotContain("ldap|sender|u1@example.org"));

        slapd.ldapmodify(modify("u4", "add: mail\nmail: u4.second@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u4.second@example.org"));
        slapd.ldapmodify(modify("u4", "delete: mail\nmail: u4.second@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u4.second@example.org"));

        slapd.ldapmodify("dn: uid=u4," + base + "\nchangetype: modrdn\nnewrdn: uid=u4b\ndeleteoldrdn: 1\n\n");
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|login|u4b").doesNotContain("ldap|login|u4"));

        slapd.ldapmodify("dn: uid=u3," + base + "\nchangetype: delete\n\n");
        slapd.ldapmodify("dn: uid=u1," + base + "\nchangetype: modrdn\nnewrdn: uid=u1\ndeleteoldrdn: 1\n"
                + "newsuperior: ou=elsewhere," + slapd.baseDn() + "\n\n");
        expect("ldap|sender|u4@example.org", "ldap|login|u4b");
    }

    @Test
    @Order(3)
    void shouldPublishOnlyTheDifferenceAfterRestart() throws InterruptedException {
        stop();
        long before = records();
        slapd.ldapadd(SyncreplITPerson.person(base, "u5", true, "u5@example.org"));
        slapd.ldapmodify("dn: uid=u4b," + base + "\nchangetype: delete\n\n");
        start();
        expect("ldap|sender|u5@example.org", "ldap|login|u5");
        Thread.sleep(1500); // a few more polls: unchanged entries publish nothing
        assertThat(records() - before).isEqualTo(4);
    }
}
