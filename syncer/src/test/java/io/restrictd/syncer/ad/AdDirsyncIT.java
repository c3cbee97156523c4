package io.restrictd.syncer.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.ldap.DirsyncSession;
import io.restrictd.syncer.ldap.LdapFatalException;
import io.restrictd.syncer.position.SyncPosition;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.SambaAdDc;
import java.time.Clock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** dirsync mode against a real Samba AD DC and a real broker. */
class AdDirsyncIT extends AdScenarios {
    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static SambaAdDc ad = new SambaAdDc();

    AdDirsyncIT() {
        super(kafka, ad, SyncerSettings.Mode.DIRSYNC, "dirsync");
    }

    @Test
    @Order(10)
    void shouldStopNamingPollWhenTheBindAccountLacksTheDirsyncRight() throws Exception {
        ad.load(lowPrivileged("reader", "Reader-pw1"));
        Running s = new Running(io.restrictd.syncer.SyncerComponents.build(settings("reader@example.org", "Reader-pw1"), Clock.systemUTC(), new com.codahale.metrics.MetricRegistry()));
        s.thread.join(60_000);
        assertInstanceOf(LdapFatalException.class, s.failure.get(), String.valueOf(s.failure.get()));
        String message = s.failure.get().getMessage();
        assertTrue(message.contains("lacks the DirSync right") && message.contains("ldap.mode: poll"), message);
    }

    @Test
    @Order(11)
    void shouldResynchroniseInFullPublishingOnlyTheDifferenceWhenTheDcRefusesTheCookie() throws Exception {
        SyncerSettings settings = settings(ad.rootDn(), ad.rootPassword());
        byte[] foreign = "MSDS not a cookie of this DC".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (DirsyncSession session = DirsyncSession.open(new Directory(settings.ldap()), settings.ldap())) {
            assertThrows(DirsyncSession.CookieRefusedException.class, () -> session.changes(foreign));
        }
        java.util.Map<String, Object> p = java.util.Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("dirsync.state", "dirsync".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new SyncPosition(foreign, "dirsync", java.time.Instant.now()).encode())).get();
        }
        ad.ldapmodify(replace("CN=bulk20," + PEOPLE, "userAccountControl", "544"));
        long before = records();
        try (Running s = start()) {
            awaitView("bulk20 lifted by the resynchronisation", v -> !v.containsKey("ldap|sender|bulk20@example.org"));
            ad.ldapmodify(replace("CN=bulk21," + PEOPLE, "userAccountControl", "544"));
            awaitView("bulk21 lifted with the new cookie", v -> !v.containsKey("ldap|sender|bulk21@example.org"));
            Thread.sleep(2000);
        }
        assertEquals(6, records() - before, "three tombstones for each account, nothing else re-published");
    }
}
