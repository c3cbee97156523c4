package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entry ids against a real slapd and broker. An upgrade over a topic written before {@code origin.entryUUID} was
 * renamed {@code origin.entryId}: the syncer recognises every entry by the old name, publishes nothing for an
 * unchanged directory (no mass re-publish, no lift), and writes the new name from the next change on. Entries
 * without the configured id are skipped and counted in the exported metric, never a crash.
 */
class EntryIdIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "up";
    private static final String TOPIC = PREFIX + ".restrictions";

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static Slapd slapd = new Slapd();

    private final String base = "ou=" + PREFIX + "," + slapd.baseDn();

    private String person(String uid, String... mails) {
        StringBuilder b = new StringBuilder("dn: uid=" + uid + "," + base + "\nobjectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\n");
        for (String m : mails) {
            b.append("mail: ").append(m).append('\n');
        }
        return b.append("smtpdSenderRestrictions: TRUE\n\n").toString();
    }

    private String entryUuid(String uid) {
        String out = slapd.ldapsearch("(uid=" + uid + ")", "entryUUID").stdout();
        return out.lines().filter(l -> l.startsWith("entryUUID: ")).findFirst().orElseThrow().substring(11);
    }

    /** A value exactly as a syncer before the rename wrote it: the entry's id in origin.entryUUID. */
    private String oldForm(String uid, String kind, String subject) {
        return "{\"schema\":\"restrictd.restriction/v1\",\"source\":\"ldap\",\"kind\":\"" + kind + "\",\"subject\":\""
                + subject + "\",\"action\":\"REJECT\",\"message\":\"This account is not allowed to send emails\","
                + "\"origin\":{\"dn\":\"uid=" + uid + "," + base + "\",\"entryUUID\":\"" + entryUuid(uid) + "\"},"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\"}";
    }

    @Test
    void shouldPublishNothingOverOldFormEventsForAnUnchangedDirectoryAndTheNewFormOnChange() throws Exception {
        slapd.ldapadd("dn: " + base + "\nobjectClass: organizationalUnit\nou: " + PREFIX + "\n\n"
                + person("u1", "u1@example.org") + person("u2", "u2@example.org", "u2.alt@example.org"));
        SyncerSettings settings = SyncerHarness.settings(PREFIX + "-it", SyncerSettings.Mode.SYNCREPL, slapd, base,
                kafka, PREFIX);
        settings.kafka().ensureTopics();
        Map<String, String> old = Map.of(
                "ldap|sender|u1@example.org", oldForm("u1", "sender", "u1@example.org"),
                "ldap|login|u1", oldForm("u1", "login", "u1"),
                "ldap|sender|u2@example.org", oldForm("u2", "sender", "u2@example.org"),
                "ldap|sender|u2.alt@example.org", oldForm("u2", "sender", "u2.alt@example.org"),
                "ldap|login|u2", oldForm("u2", "login", "u2"));
        produce(old);
        assertThat(TopicView.read(kafka.bootstrapServers(), TOPIC).values()).isEqualTo(old);

        try (SyncerHarness syncer = new SyncerHarness(settings)) {
            // The refresh is committed before the phase turns to persist (SyncreplSource.endPhase).
            Eventually.within(WAIT, () -> assertThat(syncer.syncer().status().phase()).isEqualTo("persist"));
            TopicView unchanged = TopicView.read(kafka.bootstrapServers(), TOPIC);
            assertThat(unchanged.records()).as("nothing republished, nothing lifted").isEqualTo(old.size());
            assertThat(unchanged.values()).isEqualTo(old);

            slapd.ldapmodify("dn: uid=u1," + base + "\nchangetype: modify\nadd: mail\nmail: u1.new@example.org\n\n");
            slapd.ldapmodify("dn: uid=u2," + base + "\nchangetype: delete\n\n");
            Eventually.within(WAIT, () -> assertThat(TopicView.read(kafka.bootstrapServers(), TOPIC).values())
                    .containsOnlyKeys("ldap|sender|u1@example.org", "ldap|login|u1", "ldap|sender|u1.new@example.org"));
            TopicView changed = TopicView.read(kafka.bootstrapServers(), TOPIC);
            // One put for the new address, three tombstones for u2, known only by its old-form events.
            assertThat(changed.records()).isEqualTo(old.size() + 4);
            assertThat(changed.values().get("ldap|sender|u1.new@example.org"))
                    .contains("\"entryId\":\"" + entryUuid("u1") + "\"").doesNotContain("entryUUID");
            assertThat(changed.values().get("ldap|login|u1")).isEqualTo(old.get("ldap|login|u1"));
        }
    }

    @Test
    void shouldSkipAndCountEntriesWithoutTheConfiguredIdPublishingNothing() throws Exception {
        String noid = "ou=noid," + slapd.baseDn();
        slapd.ldapadd("dn: " + noid + "\nobjectClass: organizationalUnit\nou: noid\n\n"
                + person("n1", "n1@example.org").replace(base, noid) + person("n2", "n2@example.org").replace(base, noid));
        SyncerSettings poll = SyncerHarness.settings("noid-it", SyncerSettings.Mode.POLL, slapd, noid, kafka, "noid");
        LdapSettings l = poll.ldap();
        // slapd has entryUUID, never nsUniqueId (389-DS's).
        LdapSettings nsUniqueId = new LdapSettings(l.urls(), l.bindDn(), l.bindPassword(), l.baseDn(), l.scope(),
                l.filter(), l.attributes(), l.startTls(), l.trustStore(), l.trustStorePassword(), l.connectTimeout(),
                l.reconcileInterval(), "nsUniqueId");
        SyncerSettings settings = new SyncerSettings(poll.id(), poll.mode(), poll.pollInterval(), poll.retryMin(),
                poll.retryMax(), nsUniqueId, poll.mapping(), poll.kafka(), poll.failover());
        try (SyncerHarness syncer = new SyncerHarness(settings)) {
            // A second poll has begun only after the first one's commit.
            Eventually.within(WAIT, () -> assertThat(syncer.registry().counter("syncer.refreshes").getCount())
                    .isGreaterThanOrEqualTo(2));
            assertThat((Long) syncer.registry().getGauges().get("syncer.skipped_entries").getValue())
                    .as("both entries, at every poll").isGreaterThanOrEqualTo(4);
            assertThat(syncer.failure.get()).isNull();
            assertThat(TopicView.read(kafka.bootstrapServers(), "noid.restrictions").records()).isZero();
        }
    }

    private static void produce(Map<String, String> values) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            values.forEach((k, v) -> producer.send(new ProducerRecord<>(TOPIC, k.getBytes(StandardCharsets.UTF_8),
                    v.getBytes(StandardCharsets.UTF_8))));
        }
    }
}
