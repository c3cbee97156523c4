package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * syncrepl mode against a real slapd (syncprov) and a real broker: the scenarios every mode passes,
 * then a resume after a slapd restart (present phase) and a foreign cookie (full reload).
 */
class SyncreplIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static Slapd slapd = new Slapd();

    SyncreplIT() {
        super(kafka, slapd, SyncerSettings.Mode.SYNCREPL, "sr");
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
            String cookie = Base64.getEncoder().encodeToString(
                    "rid=042,sid=07f,csn=20000101000000.000000Z#000000#07f#000000".getBytes(StandardCharsets.US_ASCII));
            producer.send(new ProducerRecord<>(prefix() + ".state", (prefix() + "-it").getBytes(StandardCharsets.UTF_8),
                    ("{\"cookie\":\"" + cookie + "\",\"mode\":\"syncrepl\",\"updatedAt\":\"2000-01-01T00:00:00Z\"}")
                            .getBytes(StandardCharsets.UTF_8)));
        }
        slapd.ldapmodify("dn: uid=u7," + base + "\nchangetype: delete\n\n");
        start();
        expect("ldap|sender|u6@example.org", "ldap|login|u6");
    }
}
