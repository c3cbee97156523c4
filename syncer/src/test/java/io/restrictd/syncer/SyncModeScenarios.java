package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.LdapFixture;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scenarios every sync mode must pass against a real directory and a real broker, in order:
 * initial load; live changes of every kind (add, flag set and cleared, mail changed, a second address
 * added and removed, modrdn, delete, moved out of the base); a restart after changes that publishes
 * exactly the difference. Each mode's IT adds its own steps from {@code @Order(4)} on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SyncModeScenarios {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The organisational unit the syncer follows; set by the first step. */
    String base;
    SyncerHarness syncer;

    private final KafkaFixture kafka;
    private final LdapFixture directory;
    private final SyncerSettings.Mode mode;
    private final String prefix;

    /**
     * @param kafka     the subclass's broker extension
     * @param directory the subclass's directory extension
     * @param prefix    of this test's topics and its ou: keeps the modes apart
     */
    SyncModeScenarios(KafkaFixture kafka, LdapFixture directory, SyncerSettings.Mode mode, String prefix) {
        this.kafka = kafka;
        this.directory = directory;
        this.mode = mode;
        this.prefix = prefix;
    }

    KafkaFixture kafka() {
        return kafka;
    }

    LdapFixture directory() {
        return directory;
    }

    String prefix() {
        return prefix;
    }

    /** Waits until an idle syncer would have published anything it still had to (poll mode polls). */
    void settle() throws InterruptedException {
    }

    @AfterAll
    void stopSyncer() throws InterruptedException {
        stop();
    }

    void start() {
        syncer = new SyncerHarness(settings());
    }

    /** The settings {@link #start()} runs the syncer with; a mode's IT may adjust them. */
    SyncerSettings settings() {
        return SyncerHarness.settings(prefix + "-it", mode, directory, base, kafka, prefix());
    }

    void stop() throws InterruptedException {
        if (syncer != null) {
            syncer.close();
            syncer = null;
        }
    }

    String topic() {
        return prefix() + ".restrictions";
    }

    String person(String uid, boolean restricted, String... mails) {
        StringBuilder b = new StringBuilder("dn: uid=" + uid + "," + base + "\nobjectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\n");
        for (String m : mails) {
            b.append("mail: ").append(m).append('\n');
        }
        if (restricted) {
            b.append("smtpdSenderRestrictions: TRUE\n");
        }
        return b.append('\n').toString();
    }

    String modify(String uid, String change) {
        return "dn: uid=" + uid + "," + base + "\nchangetype: modify\n" + change + "\n";
    }

    Set<String> keys() {
        return TopicView.read(kafka().bootstrapServers(), topic()).values().keySet();
    }

    long records() {
        return TopicView.read(kafka().bootstrapServers(), topic()).records();
    }

    void expect(String... keys) {
        Eventually.within(WAIT, () -> assertThat(keys()).containsExactlyInAnyOrder(keys));
    }

    @Test
    @Order(1)
    void shouldLoadRestrictedEntriesOnly() {
        LdapFixture ds = directory();
        base = "ou=" + prefix() + "," + ds.baseDn();
        ds.ldapadd("dn: " + base + "\nobjectClass: organizationalUnit\nou: " + prefix() + "\n\n"
                + "dn: ou=elsewhere," + ds.baseDn() + "\nobjectClass: organizationalUnit\nou: elsewhere\n\n"
                + person("u1", true, "U1@Example.org") + person("u2", false, "u2@example.org")
                + person("u3", true, "u3@example.org", "u3.alt@example.org"));
        start();
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3");
    }

    @Test
    @Order(2)
    void shouldFollowLiveChanges() {
        LdapFixture ds = directory();
        ds.ldapadd(person("u4", true, "u4@example.org"));
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3", "ldap|sender|u4@example.org", "ldap|login|u4");

        ds.ldapmodify(modify("u2", "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u2@example.org", "ldap|login|u2"));
        // The entry stops matching the filter (psearch on 389-DS hears of it only through a wider search).
        ds.ldapmodify(modify("u2", "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: FALSE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u2@example.org", "ldap|login|u2"));

        ds.ldapmodify(modify("u1", "replace: mail\nmail: u1.new@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u1.new@example.org")
                .doesNotContain("ldap|sender|u1@example.org"));

        ds.ldapmodify(modify("u4", "add: mail\nmail: u4.second@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u4.second@example.org"));
        ds.ldapmodify(modify("u4", "delete: mail\nmail: u4.second@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u4.second@example.org"));

        ds.ldapmodify("dn: uid=u4," + base + "\nchangetype: modrdn\nnewrdn: uid=u4b\ndeleteoldrdn: 1\n\n");
        Eventually.within(WAIT, () -> {
            TopicView v = TopicView.read(kafka().bootstrapServers(), topic());
            assertThat(v.values()).containsKeys("ldap|sender|u4@example.org", "ldap|login|u4b")
                    .doesNotContainKey("ldap|login|u4");
            assertThat(v.values().get("ldap|sender|u4@example.org")).containsIgnoringCase("uid=u4b," + base);
        });

        ds.ldapmodify("dn: uid=u3," + base + "\nchangetype: delete\n\n");
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3"));

        // Moved out of the base.
        ds.ldapmodify("dn: uid=u1," + base + "\nchangetype: modrdn\nnewrdn: uid=u1\ndeleteoldrdn: 1\n"
                + "newsuperior: ou=elsewhere," + ds.baseDn() + "\n\n");
        expect("ldap|sender|u4@example.org", "ldap|login|u4b");
        assertThat(syncer.failure.get()).isNull();
    }

    @Test
    @Order(3)
    void shouldPublishOnlyTheDifferenceAfterARestart() throws InterruptedException {
        stop();
        long before = records();
        LdapFixture ds = directory();
        ds.ldapadd(person("u5", true, "u5@example.org"));
        ds.ldapmodify("dn: uid=u4b," + base + "\nchangetype: delete\n\n");
        ds.ldapadd(person("u6", false, "u6@example.org"));
        start();
        expect("ldap|sender|u5@example.org", "ldap|login|u5");
        settle();
        // Exactly the difference: 2 puts for u5, 2 tombstones for u4b; nothing republished.
        assertThat(records() - before).isEqualTo(4);
    }
}
