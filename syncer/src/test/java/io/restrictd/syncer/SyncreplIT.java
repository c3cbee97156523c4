package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.Slapd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * syncrepl mode against a real slapd (syncprov) and a real broker: the scenarios every mode passes,
 * then a resume after a slapd restart (present phase), a foreign cookie (full reload) and a cookie the
 * server refuses with e-syncRefreshRequired (full reload).
 */
class SyncreplIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
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
        // Another server's cookie (sid 07f): slapd answers it with a present phase.
        storeCookie("rid=042,sid=07f,csn=20000101000000.000000Z#000000#07f#000000");
        slapd.ldapmodify("dn: uid=u7," + base + "\nchangetype: delete\n\n");
        start();
        expect("ldap|sender|u6@example.org", "ldap|login|u6");
    }

    @Test
    @Order(6)
    void shouldReloadWhenTheServerRequiresARefresh() throws Exception {
        stop();
        // syncprov answers a cookie older than anything in its database with e-syncRefreshRequired (4096)
        // when syncprov-reloadhint is TRUE, as OpenLDAP's manual recommends for every provider (and
        // ops/ldap/slapd.conf.template sets); without it, with a present phase.
        assertThat(Files.readString(slapd.dir().resolve("slapd.conf"))).contains("syncprov-reloadhint TRUE");
        storeCookie("rid=042,csn=20000101000000.000000Z#000000#000#000000"); // this server's sid, ancient CSN
        slapd.ldapmodify("dn: uid=u6," + base + "\nchangetype: delete\n\n");
        slapd.ldapadd(person("u9", true, "u9@example.org"));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger source = (Logger) LoggerFactory.getLogger("io.restrictd.syncer.source.SyncreplSource");
        log.start();
        source.addAppender(log);
        try {
            start();
            expect("ldap|sender|u9@example.org", "ldap|login|u9");
        } finally {
            source.detachAppender(log);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("server requires a full refresh"));
    }

    /** Makes {@code cookie} the syncer's committed position, as if an earlier run had left it. */
    private void storeCookie(String cookie) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            String encoded = Base64.getEncoder().encodeToString(cookie.getBytes(StandardCharsets.US_ASCII));
            producer.send(new ProducerRecord<>(prefix() + ".state", (prefix() + "-it").getBytes(StandardCharsets.UTF_8),
                    ("{\"cookie\":\"" + encoded + "\",\"mode\":\"syncrepl\",\"updatedAt\":\"2000-01-01T00:00:00Z\"}")
                            .getBytes(StandardCharsets.UTF_8)));
        }
    }
}
