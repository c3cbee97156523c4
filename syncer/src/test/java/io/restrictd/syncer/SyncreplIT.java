package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * syncrepl mode against a real slapd (syncprov) and a real broker. The steps build on each other, in
 * order: initial load, live changes of every kind, resume from the cookie, resume after a slapd restart
 * (present phase), and a foreign cookie (full reload).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncreplIT {
    static final String PREFIX = "sr";
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
        if (syncer != null) {
            syncer.close();
        }
    }

    static void start() {
        syncer = new SyncerHarness(SyncerHarness.settings("sr-it", SyncerSettings.Mode.SYNCREPL, slapd, base, kafka,
                PREFIX));
    }

    static void stop() throws InterruptedException {
        if (syncer != null) {
            syncer.close();
        }
        syncer = null;
    }

    static String person(String uid, boolean restricted, String... mails) {
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

    static String modify(String uid, String change) {
        return "dn: uid=" + uid + "," + base + "\nchangetype: modify\n" + change + "\n";
    }

    static Set<String> keys() {
        return TopicView.read(kafka.bootstrapServers(), TOPIC).values().keySet();
    }

    static void expect(String... keys) throws InterruptedException {
        Eventually.within(WAIT, () -> assertThat(keys()).containsExactlyInAnyOrder(keys));
    }

    static long records() {
        return TopicView.read(kafka.bootstrapServers(), TOPIC).records();
    }

    @Test
    @Order(1)
    void shouldLoadRestrictedEntriesOnly() throws InterruptedException {
        base = "ou=sr," + slapd.baseDn();
        slapd.ldapadd("dn: " + base + "\nobjectClass: organizationalUnit\nou: sr\n\n"
                + "dn: ou=elsewhere," + slapd.baseDn() + "\nobjectClass: organizationalUnit\nou: elsewhere\n\n"
                + person("u1", true, "U1@Example.org") + person("u2", false, "u2@example.org")
                + person("u3", true, "u3@example.org", "u3.alt@example.org"));
        start();
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3");
    }

    @Test
    @Order(2)
    void shouldFollowLiveChanges() throws InterruptedException {
        slapd.ldapadd(person("u4", true, "u4@example.org"));
        expect("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3", "ldap|sender|u4@example.org", "ldap|login|u4");

        slapd.ldapmodify(modify("u2", "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u2@example.org", "ldap|login|u2"));
        slapd.ldapmodify(modify("u2", "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: FALSE\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u2@example.org", "ldap|login|u2"));

        slapd.ldapmodify(modify("u1", "replace: mail\nmail: u1.new@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u1.new@example.org")
                .doesNotContain("ldap|sender|u1@example.org"));

        slapd.ldapmodify(modify("u4", "add: mail\nmail: u4.second@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).contains("ldap|sender|u4.second@example.org"));
        slapd.ldapmodify(modify("u4", "delete: mail\nmail: u4.second@example.org\n"));
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u4.second@example.org"));

        slapd.ldapmodify("dn: uid=u4," + base + "\nchangetype: modrdn\nnewrdn: uid=u4b\ndeleteoldrdn: 1\n\n");
        Eventually.within(WAIT, () -> {
            TopicView v = TopicView.read(kafka.bootstrapServers(), TOPIC);
            assertThat(v.values()).containsKeys("ldap|sender|u4@example.org", "ldap|login|u4b")
                    .doesNotContainKey("ldap|login|u4");
            assertThat(v.values().get("ldap|sender|u4@example.org")).contains("uid=u4b," + base);
        });

        slapd.ldapmodify("dn: uid=u3," + base + "\nchangetype: delete\n\n");
        Eventually.within(WAIT, () -> assertThat(keys()).doesNotContain("ldap|sender|u3@example.org",
                "ldap|sender|u3.alt@example.org", "ldap|login|u3"));

        slapd.ldapmodify("dn: uid=u1," + base + "\nchangetype: modrdn\nnewrdn: uid=u1\ndeleteoldrdn: 1\n"
                + "newsuperior: ou=elsewhere," + slapd.baseDn() + "\n\n");
        expect("ldap|sender|u4@example.org", "ldap|login|u4b");
        assertThat(syncer.failure.get()).isNull();
    }

    @Test
    @Order(3)
    void shouldResumeFromCookieWithoutFullRepublish() throws InterruptedException {
        stop();
        long before = records();
        slapd.ldapadd(person("u5", true, "u5@example.org"));
        slapd.ldapmodify("dn: uid=u4b," + base + "\nchangetype: delete\n\n");
        slapd.ldapadd(person("u6", false, "u6@example.org"));
        start();
        expect("ldap|sender|u5@example.org", "ldap|login|u5");
        // Exactly the difference: 2 puts for u5, 2 tombstones for u4b; nothing republished.
        assertThat(records() - before).isEqualTo(4);
    }

    @Test
    @Order(4)
    void shouldConvergeAfterSlapdRestartThroughThePresentPhase() throws InterruptedException {
        stop();
        long before = records();
        // Changes made before the restart: slapd's session log dies with it, so the resumed sync
        // must use the present phase to find the delete.
        slapd.ldapmodify("dn: uid=u5," + base + "\nchangetype: delete\n\n");
        slapd.ldapmodify(modify("u6", "add: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n"));
        slapd.ldapadd(person("u7", true, "u7@example.org"));
        slapd.stop();
        slapd.start();
        start();
        expect("ldap|sender|u6@example.org", "ldap|login|u6", "ldap|sender|u7@example.org", "ldap|login|u7");
        assertThat(records() - before).isEqualTo(6);
    }

    @Test
    @Order(5)
    void shouldReloadOnForeignCookie() throws InterruptedException {
        stop();
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            String cookie = java.util.Base64.getEncoder().encodeToString(
                    "rid=042,sid=07f,csn=20000101000000.000000Z#000000#07f#000000".getBytes(StandardCharsets.US_ASCII));
            producer.send(new ProducerRecord<>(PREFIX + ".state", "sr-it".getBytes(StandardCharsets.UTF_8),
                    ("{\"cookie\":\"" + cookie + "\",\"mode\":\"syncrepl\",\"updatedAt\":\"2000-01-01T00:00:00Z\"}")
                            .getBytes(StandardCharsets.UTF_8)));
        }
        slapd.ldapmodify("dn: uid=u7," + base + "\nchangetype: delete\n\n");
        start();
        expect("ldap|sender|u6@example.org", "ldap|login|u6");
    }
}
