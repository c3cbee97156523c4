package io.restrictd.syncer.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restrictd.schema.AccessAction;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.syncer.publish.KafkaSettings;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.SambaAdDc;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every mode that follows Active Directory must do, against a real Samba AD DC and a real broker, with
 * syncer-ad.yml's mapping: disabled accounts (and members of a nested "no-send" group) restricted, by mail,
 * proxyAddresses (smtp:/SMTP: only), sAMAccountName and userPrincipalName. The tests run in order on one DC.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AdScenarios {
    static final String PEOPLE = "OU=people,DC=example,DC=org";
    static final String NO_SEND = "CN=no-send,CN=Users,DC=example,DC=org";
    static final String FILTER = "(&(objectClass=user)(!(isCriticalSystemObject=TRUE))"
            + "(|(userAccountControl:1.2.840.113556.1.4.803:=2)(memberOf:1.2.840.113556.1.4.1941:=" + NO_SEND + ")))";
    static final int BULK = 1100;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final KafkaFixture kafka;
    private final SambaAdDc ad;
    private final SyncerSettings.Mode mode;
    private final String prefix;

    AdScenarios(KafkaFixture kafka, SambaAdDc ad, SyncerSettings.Mode mode, String prefix) {
        this.kafka = kafka;
        this.ad = ad;
        this.mode = mode;
        this.prefix = prefix;
    }

    SyncerSettings settings(String bindDn, String password) {
        Mapping mapping = new Mapping("ldap", List.of("mail", "proxyAddresses"),
                List.of("sAMAccountName", "userPrincipalName"), AccessAction.parse("REJECT disabled account"),
                null, null, null);
        LdapSettings ldap = new LdapSettings(List.of(ad.url()), bindDn, password, PEOPLE, "sub", FILTER,
                mapping.requestedAttributes(), false, null, null, Duration.ofSeconds(5), Duration.ofMinutes(10));
        KafkaSettings k = new KafkaSettings(new KafkaClient(kafka.bootstrapServers(), "it", Duration.ofSeconds(15),
                Map.of()), new TopicSettings(prefix + ".restrictions", prefix + ".audit", prefix + ".state",
                TopicSettings.DEFAULT_LEADER_TOPIC, 3, 0, 0, TopicSettings.DEFAULT_DELETE_RETENTION, null));
        return new SyncerSettings(prefix, mode, Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2),
                ldap, mapping, k);
    }

    @Test
    @Order(1)
    void shouldLoadMoreThanOnePageOfAccountsAtStart() throws Exception {
        ad.load(SambaAdDc.users(BULK, i -> "bulk" + i, true) + SambaAdDc.users(20, i -> "live" + i, false) + """
                dn: CN=alice,OU=people,DC=example,DC=org
                objectClass: user
                sAMAccountName: alice
                userPrincipalName: alice.upn@example.org
                mail: alice@example.org
                proxyAddresses: SMTP:alice@example.org
                proxyAddresses: smtp:alias@example.org
                proxyAddresses: X500:/o=Example/cn=alice
                userAccountControl: 544

                dn: CN=nested,CN=Users,DC=example,DC=org
                objectClass: group
                sAMAccountName: nested

                dn: CN=no-send,CN=Users,DC=example,DC=org
                objectClass: group
                sAMAccountName: no-send
                member: CN=nested,CN=Users,DC=example,DC=org

                """);
        Directory directory = new Directory(settings(ad.rootDn(), ad.rootPassword()).ldap());
        assertEquals(BULK, directory.searchAll().size());
        assertTrue(directory.pagesFetched() > 1, "pages: " + directory.pagesFetched());
        try (Running s = start()) {
            awaitView("every disabled account", v -> v.containsKey("ldap|sender|bulk1099@example.org")
                    && v.containsKey("ldap|login|bulk0") && v.containsKey("ldap|login|bulk0@example.org"));
            Map<String, String> v = view();
            assertEquals(BULK * 3, v.size(), "mail, sAMAccountName and userPrincipalName of each");
            assertFalse(v.containsKey("ldap|sender|alice@example.org"));
        }
    }

    @Test
    @Order(2)
    void shouldFollowDisableEnableAddressChangeMoveDeleteAndGroups() throws Exception {
        try (Running s = start()) {
            ad.ldapmodify(replace("CN=alice," + PEOPLE, "userAccountControl", "546"));
            awaitView("alice restricted", v -> v.containsKey("ldap|sender|alias@example.org"));
            Map<String, String> v = view();
            assertTrue(v.containsKey("ldap|sender|alice@example.org"));
            assertTrue(v.containsKey("ldap|login|alice"));
            assertTrue(v.containsKey("ldap|login|alice.upn@example.org"));
            assertFalse(v.keySet().stream().anyMatch(k -> k.contains("x500") || k.contains("/o=")), v.keySet()::toString);

            ad.ldapmodify(replace("CN=alice," + PEOPLE, "userAccountControl", "544"));
            awaitView("alice lifted", w -> !w.containsKey("ldap|sender|alias@example.org")
                    && !w.containsKey("ldap|login|alice"));

            ad.ldapmodify(replace("CN=bulk5," + PEOPLE, "mail", "bulk5.new@example.org"));
            awaitView("bulk5's new address", w -> w.containsKey("ldap|sender|bulk5.new@example.org")
                    && !w.containsKey("ldap|sender|bulk5@example.org"));

            ad.ldapmodify("dn: CN=bulk6," + PEOPLE + "\nchangetype: moddn\nnewrdn: CN=bulk6\ndeleteoldrdn: 1\n"
                    + "newsuperior: CN=Users,DC=example,DC=org\n");
            awaitView("bulk6 moved out of the base", w -> !w.containsKey("ldap|sender|bulk6@example.org"));

            ad.ldapmodify("dn: CN=bulk7," + PEOPLE + "\nchangetype: delete\n");
            awaitView("bulk7 deleted", w -> !w.containsKey("ldap|sender|bulk7@example.org"));

            ad.ldapmodify("dn: CN=nested,CN=Users,DC=example,DC=org\nchangetype: modify\nadd: member\n"
                    + "member: CN=live3," + PEOPLE + "\n");
            awaitView("live3 in a group nested in no-send", w -> w.containsKey("ldap|sender|live3@example.org"));
            ad.ldapmodify("dn: CN=nested,CN=Users,DC=example,DC=org\nchangetype: modify\ndelete: member\n"
                    + "member: CN=live3," + PEOPLE + "\n");
            awaitView("live3 out of the group", w -> !w.containsKey("ldap|sender|live3@example.org"));
            assertTrue(view().containsKey("ldap|sender|bulk8@example.org"), "the others stay");
        }
    }

    @Test
    @Order(3)
    void shouldResumeAfterAStopMidStreamWithNothingLostOrDoubled() throws Exception {
        long before = records();
        Running first = start();
        Thread.sleep(1500);
        for (int i = 0; i < 20; i++) {
            ad.ldapmodify(replace("CN=live" + i + "," + PEOPLE, "userAccountControl", "546"));
            if (i == 8) {
                first.close(); // stopped mid-stream: the rest is changed while no syncer runs
            }
        }
        first.close();
        try (Running second = start()) {
            awaitView("every live account restricted", w -> java.util.stream.IntStream.range(0, 20)
                    .allMatch(i -> w.containsKey("ldap|sender|live" + i + "@example.org")));
            Thread.sleep(2000); // a few more passes: nothing unchanged may be published again
        }
        // 20 accounts, three keys each, published exactly once each.
        assertEquals(20 * 3, records() - before);
    }

    /** LDIF for an enabled account with a password that may bind, and no other right. */
    static String lowPrivileged(String name, String password) {
        String quoted = java.util.Base64.getEncoder().encodeToString(
                ("\"" + password + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        return "dn: CN=" + name + ",CN=Users,DC=example,DC=org\nobjectClass: user\nsAMAccountName: " + name
                + "\nuserPrincipalName: " + name + "@example.org\nunicodePwd:: " + quoted
                + "\nuserAccountControl: 512\n\n";
    }

    static String replace(String dn, String attribute, String value) {
        return "dn: " + dn + "\nchangetype: modify\nreplace: " + attribute + "\n" + attribute + ": " + value + "\n";
    }

    Running start() {
        return new Running(io.restrictd.syncer.SyncerComponents.build(settings(ad.rootDn(), ad.rootPassword()), Clock.systemUTC(), new com.codahale.metrics.MetricRegistry()));
    }

    /** A syncer on a thread. */
    static final class Running implements AutoCloseable {
        final Syncer syncer;
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private boolean closed;

        Running(Syncer syncer) {
            this.syncer = syncer;
            this.thread = new Thread(() -> {
                try {
                    syncer.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "ad-syncer");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            if (closed) {
                return;
            }
            closed = true;
            syncer.close();
            thread.join(60_000);
            // A syncer still running would keep the leadership from the next one (same id, same election).
            assertFalse(thread.isAlive(), "the syncer did not stop within 60 s");
            if (failure.get() != null) {
                throw new AssertionError("syncer failed", failure.get());
            }
        }
    }

    void awaitView(String what, Predicate<Map<String, String>> done) {
        Eventually.await(what, WAIT, 300, this::view, done);
    }

    Map<String, String> view() {
        Map<String, String> out = new java.util.HashMap<>();
        read((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    long records() {
        long[] n = {0};
        read((k, v) -> n[0]++);
        return n[0];
    }

    private void read(java.util.function.BiConsumer<String, String> sink) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        String topic = prefix + ".restrictions";
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(20));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    sink.accept(r.key(), r.value());
                }
            }
        }
    }
}
