package io.restrictd.service.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.service.it.NodeProcess;
import io.restrictd.service.syncer.AdConfig;
import io.restrictd.service.syncer.SyncerConfiguration;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.SambaAdDc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Active Directory end to end: a real Samba AD DC → the syncer (ops/config/syncer-ad.yml, in dirsync and in poll
 * mode, over LDAPS and StartTLS respectively) → Kafka → a lookup node process → Postfix's own client ({@code postmap -q KEY socketmap:...:sender}).
 * Each mode: initial load, disable → restricted by mail and by the proxyAddresses alias, enable → lifted,
 * delete → lifted. Prints {@code AdEndToEndIT} lines with the initial load time and the propagation delays
 * (from ldapmodify's exit to the node's changed answer); {@code ops/bench/run-syncer-ad} runs it with more
 * accounts and changes ({@code -Drestrictd.ad.accounts}, {@code -Drestrictd.ad.changes},
 * {@code -Drestrictd.ad.pollInterval}).
 */
class AdEndToEndIT {
    private static final int ACCOUNTS = Integer.getInteger("restrictd.ad.accounts", 300);
    private static final int CHANGES = Integer.getInteger("restrictd.ad.changes", 6);
    private static final String INTERVAL = System.getProperty("restrictd.ad.pollInterval", "1s");
    private static final String ACTION = "OK REJECT This account is not allowed to send emails, plz talk to "
            + "abuse@example.org";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static SambaAdDc ad = SambaAdDc.withTls();

    private static Path dir;

    @BeforeAll
    static void load() throws Exception {
        dir = Files.createTempDirectory("restrictd-ad-e2e-");
        StringBuilder ldif = new StringBuilder(SambaAdDc.users(ACCOUNTS, i -> "d" + i, true));
        for (int i = 0; i < 2 * CHANGES + 2; i++) {
            ldif.append("dn: ").append(ad.userDn("e" + i)).append("\nobjectClass: user\nsAMAccountName: e").append(i)
                    .append("\nmail: e").append(i).append("@example.org\nproxyAddresses: SMTP:e").append(i)
                    .append("@example.org\nproxyAddresses: smtp:alias-e").append(i)
                    .append("@example.org\nproxyAddresses: X500:/o=Example/cn=e").append(i)
                    .append("\nuserAccountControl: 544\n\n");
        }
        ad.load(ldif.toString());
    }

    @Test
    void shouldFollowAdInDirsyncMode() throws Exception {
        scenario("dirsync", 0);
    }

    @Test
    void shouldFollowAdInPollMode() throws Exception {
        scenario("poll", CHANGES + 1);
    }

    private void scenario(String mode, int first) throws Exception {
        String prefix = "ad-" + mode;
        kafka.createTopic(prefix + ".restrictions", 3, true);
        int port = FreePort.find();
        NodeProcess node = NodeProcess.builder("node-" + mode, dir, kafka.bootstrapServers())
                .topic(prefix + ".restrictions").socketmapPort(port).build().start();
        long started = System.nanoTime();
        try (Running syncer = new Running(settings(mode, prefix));
                SocketmapProbe probe = new SocketmapProbe(awaitReady(node, port))) {
            probe.awaitReply("d" + (ACCOUNTS - 1) + "@example.org", ACTION, Duration.ofMinutes(10));
            System.out.printf("AdEndToEndIT %s: initial load of %d accounts: %d ms%n", mode, ACCOUNTS,
                    (System.nanoTime() - started) / 1_000_000);
            assertFound(node, "d0@example.org");
            assertNotFound(node, "e" + first + "@example.org");

            List<Long> disable = new ArrayList<>();
            List<Long> enable = new ArrayList<>();
            for (int i = first; i < first + CHANGES; i++) {
                disable.add(change(probe, "e" + i, "546", "alias-e" + i + "@example.org", ACTION));
                assertFound(node, "e" + i + "@example.org");
                assertFound(node, "alias-e" + i + "@example.org");
                enable.add(change(probe, "e" + i, "544", "alias-e" + i + "@example.org", "NOTFOUND "));
                assertNotFound(node, "e" + i + "@example.org");
            }
            System.out.printf("AdEndToEndIT %s (interval %s): propagation disable %s; enable %s%n", mode, INTERVAL,
                    stats(disable), stats(enable));
            String deleted = "d" + (first == 0 ? 1 : 2); // each mode its own: both run against this one DC
            ad.ldapmodify("dn: " + ad.userDn(deleted) + "\nchangetype: delete\n");
            probe.awaitReply(deleted + "@example.org", "NOTFOUND ", LIMIT);
            assertFound(node, "d3@example.org");
        } finally {
            node.stop();
        }
    }

    private static int awaitReady(NodeProcess node, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(node.status().get("ready"))) {
                    return port;
                }
            } catch (RuntimeException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node not ready:\n" + node.logText());
    }

    /** Sets userAccountControl of {@code cn}; returns ms from ldapmodify's exit to the node's new answer. */
    private static long change(SocketmapProbe probe, String cn, String uac, String key, String expected)
            throws Exception {
        ad.ldapmodify("dn: " + ad.userDn(cn) + "\nchangetype: modify\nreplace: userAccountControl\n"
                + "userAccountControl: " + uac + "\n");
        long returned = System.nanoTime();
        return (probe.awaitReply(key, expected, LIMIT) - returned) / 1_000_000;
    }

    private static String stats(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return String.format("n=%d p50=%d ms p99=%d ms max=%d ms", sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1));
    }

    private static void assertFound(NodeProcess node, String addr) {
        CommandResult r = node.postmap(addr);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat("OK " + r.stdout().strip()).isEqualTo(ACTION);
    }

    private static void assertNotFound(NodeProcess node, String addr) {
        CommandResult r = node.postmap(addr);
        assertThat(r.exitCode()).as("postmap -q %s: NOTFOUND is exit 1\n%s", addr, r).isEqualTo(1);
    }

    private static io.restrictd.syncer.SyncerSettings settings(String mode, String prefix) throws Exception {
        SyncerConfiguration c = AdConfig.shipped(Files.writeString(dir.resolve("pw"), ad.rootPassword() + "\n"));
        // syncer-ad.yml's default transport, LDAPS, in dirsync mode; StartTLS in poll mode.
        boolean ldaps = "dirsync".equals(mode);
        c.ldap.urls = List.of(ldaps ? ad.ldapsUrl() : ad.url());
        c.ldap.startTls = !ldaps;
        c.ldap.trustStore = AdConfig.trustStore(ad.caCertificate(), dir.resolve(mode + "-ca.p12")).toString();
        c.ldap.trustStorePassword = AdConfig.TRUST_STORE_PASSWORD;
        c.ldap.bindDn = ad.rootDn();
        c.ldap.mode = mode;
        c.ldap.pollInterval = io.dropwizard.util.Duration.parse(INTERVAL);
        c.ldap.baseDn = "OU=people,DC=example,DC=org";
        c.syncer.id = prefix;
        c.syncer.stateTopic = prefix + ".state";
        c.syncer.leaderTopic = prefix + ".leader";
        c.syncer.adminListen = "";
        c.kafka.setBootstrapServers(kafka.bootstrapServers());
        c.kafka.setTopic(prefix + ".restrictions");
        c.kafka.setAuditTopic(prefix + ".audit");
        return c.toSettings(Map.of());
    }

    /** The syncer on a thread of this JVM. */
    private static final class Running implements AutoCloseable {
        private final Syncer syncer;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Running(io.restrictd.syncer.SyncerSettings settings) {
            syncer = io.restrictd.syncer.SyncerComponents.build(settings, Clock.systemUTC(),
                    new com.codahale.metrics.MetricRegistry());
            thread = new Thread(() -> {
                try {
                    syncer.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "ad-e2e-syncer");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            syncer.close();
            thread.join(30_000);
            assertThat(failure.get()).as("syncer failure").isNull();
        }
    }
}
