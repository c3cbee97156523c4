package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.syncer.publish.KafkaSettings;
import io.restrictd.testkit.DirectoryServer389;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * psearch mode against a real 389 Directory Server and a real broker. The steps build on each other, in
 * order: initial load, live changes of every kind, a restart of the syncer after changes (the reconciliation
 * publishes only the difference), and a restart of 389-DS under a running syncer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PsearchIT {
    static final String PREFIX = "ps";
    static final String TOPIC = PREFIX + ".restrictions";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static DirectoryServer389 ds = new DirectoryServer389();

    static String base;
    static SyncerHarness syncer;

    @AfterAll
    static void stopSyncer() throws InterruptedException {
        stop();
    }

    static SyncerSettings settings() {
        Mapping mapping = new Mapping("ldap", List.of("mail", "mailAlternateAddress"), List.of("uid"),
                AccessAction.parse("REJECT This account is not allowed to send emails"),
                "smtpdSenderRestrictionMessage", "smtpdSenderRestrictionAction", "smtpdSenderRestrictionExpiry");
        // A dead URL first: failover to the next one, as in the other modes' tests.
        LdapSettings ldap = new LdapSettings(List.of("ldap://127.0.0.1:1", ds.url()), ds.rootDn(),
                ds.rootPassword(), base, "sub", "(smtpdSenderRestrictions=TRUE)", mapping.requestedAttributes(),
                false, null, null, Duration.ofSeconds(5));
        KafkaSettings k = new KafkaSettings(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "client.id", "it", "request.timeout.ms", 15000, "default.api.timeout.ms", 15000),
                PREFIX + ".restrictions", PREFIX + ".audit", PREFIX + ".state", 3, Duration.ofSeconds(15));
        return new SyncerSettings("ps-it", SyncerSettings.Mode.PSEARCH, Duration.ofMillis(500),
                Duration.ofMillis(200), Duration.ofSeconds(2), ldap, mapping, k);
    }

    static void start() {
        syncer = new SyncerHarness(settings());
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

    static String person(String uid, boolean restricted, String... mails) {
        return SyncreplITPerson.person(base, uid, restricted, mails);
    }

    @Test
    @Order(1)
    void shouldLoadRestrictedEntriesOnly() throws InterruptedException {
        base = "ou=ps," + ds.baseDn();
        ds.ldapadd("dn: " + base + "\nobjectClass: organizationalUnit\nou: ps\n\n"
                + "dn: ou=elsewhere," + ds.baseDn() + "\nobjectClass: organizationalUnit\nou: elsewhere\n\n"
                + person("u1", true, "U1@Example.org") + person("u2", false, "u2@example.org")
                + person("u3", true, "u3@example.org", "u3.alt@example.org"));
        start();
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3");
    }

    @Test
    @Order(2)
    void shouldFollowLiveChanges() throws InterruptedException {
        ds.ldapadd(person("u4", true, "u4@example.org"));
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3", "ldap|sender|u4@example.org", "ldap|login|u4");

        ds.ldapmodify(modify("u2", "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u2@example.org", "ldap|login|u2"));
        // The entry stops matching the filter: 389-DS notifies this only to a search wider than the filter.
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
            TopicView v = TopicView.read(kafka.bootstrapServers(), TOPIC);
            assertThat(v.values()).containsKeys("ldap|sender|u4@example.org", "ldap|login|u4b")
                    .doesNotContainKey("ldap|login|u4");
            assertThat(v.values().get("ldap|sender|u4@example.org")).containsIgnoringCase("uid=u4b," + base);
        });

        ds.ldapmodify("dn: uid=u3," + base + "\nchangetype: delete\n\n");
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3"));

        // Moved out of the base: 389-DS notifies this only to a search on a wider base.
        ds.ldapmodify("dn: uid=u1," + base + "\nchangetype: modrdn\nnewrdn: uid=u1\ndeleteoldrdn: 1\n"
                + "newsuperior: ou=elsewhere," + ds.baseDn() + "\n\n");
        expect("ldap|sender|u4@example.org", "ldap|login|u4b");
        assertThat(syncer.failure.get()).isNull();
    }

    @Test
    @Order(3)
    void shouldPublishOnlyTheDifferenceWhenRestarted() throws InterruptedException {
        stop();
        long before = records();
        ds.ldapadd(person("u5", true, "u5@example.org"));
        ds.ldapmodify("dn: uid=u4b," + base + "\nchangetype: delete\n\n");
        ds.ldapadd(person("u6", false, "u6@example.org"));
        start();
        expect("ldap|sender|u5@example.org", "ldap|login|u5");
        // Exactly the difference: 2 puts for u5, 2 tombstones for u4b; nothing republished.
        assertThat(records() - before).isEqualTo(4);
    }

    @Test
    @Order(4)
    void shouldReconnectAndConvergeWhenTheDirectoryRestarts() throws InterruptedException {
        long before = records();
        ds.stop();
        // Made as soon as the server is back, while the syncer is still backing off or reconciling: whether a
        // change reaches it through the reconciliation or as a notification, the topic must end up the same,
        // and only the difference may be written (2 tombstones for u5, 2 puts each for u6 and u7).
        ds.start();
        ds.ldapmodify("dn: uid=u5," + base + "\nchangetype: delete\n\n");
        ds.ldapmodify(modify("u6", "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
        ds.ldapadd(person("u7", true, "u7@example.org"));
        expect("ldap|sender|u6@example.org", "ldap|login|u6", "ldap|sender|u7@example.org", "ldap|login|u7");
        assertThat(records() - before).isEqualTo(6);
        // And it follows live changes again.
        ds.ldapmodify(modify("u7", "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: FALSE\n"));
        expect("ldap|sender|u6@example.org", "ldap|login|u6");
        assertThat(syncer.failure.get()).isNull();
    }
}
