package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.LdapFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real syncer processes with the same syncer.id against a real slapd and broker: one leads and
 * publishes, the other stands by and commits nothing; kill -9 of the leader → the standby takes over and a
 * change made after the kill reaches the topic within seconds (the failover time is printed).
 */
class SyncerHaIT {
    static final String PREFIX = "ha";
    static final String TOPIC = PREFIX + ".restrictions";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static LdapFixture slapd = Fixtures.openLdap();

    @TempDir
    Path dir;
    SyncerProcess a;
    SyncerProcess b;

    @AfterEach
    void stopBoth() throws InterruptedException {
        for (SyncerProcess p : new SyncerProcess[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
    }

    SyncerProcess syncer(String name) {
        return new SyncerProcess(name, dir, "ha", kafka.bootstrapServers(), slapd.url(), slapd.rootPassword(), PREFIX);
    }

    static String person(String uid) {
        return "dn: uid=" + uid + "," + slapd.peopleDn() + "\nobjectClass: inetOrgPerson\nobjectClass: restrictdAccount\n"
                + "uid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\nmail: " + uid + "@example.org\n"
                + "smtpdSenderRestrictions: TRUE\n\n";
    }

    static Set<String> keys() {
        return CommittedView.read(kafka.bootstrapServers(), TOPIC).values().keySet();
    }

    @Test
    void shouldPublishFromOneSyncerOnlyAndFailOverWhenItIsKilled() throws Exception {
        slapd.ldapadd(person("h1") + person("h2"));
        a = syncer("a").start();
        Eventually.within(WAIT, a::logContext, () -> assertThat(a.health().phase()).isEqualTo("persist"));
        b = syncer("b").start();
        Eventually.within(WAIT, b::logContext, () -> assertThat(b.health().role()).isEqualTo("standby"));
        assertThat(b.health().status()).as("a standby is healthy").isEqualTo(200);
        assertThat(a.health().role()).as("a standby joining does not depose the leader").isEqualTo("leader");
        Eventually.within(WAIT, a::logContext, () -> assertThat(keys()).contains("ldap|sender|h1@example.org",
                "ldap|sender|h2@example.org"));

        slapd.ldapadd(person("h3"));
        Eventually.within(WAIT, a::logContext, () -> assertThat(keys()).contains("ldap|sender|h3@example.org"));
        assertThat(a.health().body().get("lastCommit")).as("syncrepl commits are reported").isNotNull();
        assertThat(b.health().body().get("lastCommit")).as("the standby never committed").isNull();
        assertThat(b.health().role()).isEqualTo("standby");
        assertThat(a.metrics()).contains("syncer_events_published_total").contains("syncer_leader 1")
                .as("a live change has a propagation delay").doesNotContain("syncer_propagation_delay_seconds_count 0");
        System.out.println("SyncerHaIT leader metrics:\n" + a.metrics());

        a.kill9();
        long killed = System.nanoTime();
        slapd.ldapadd(person("h4"));
        Eventually.within(WAIT, b::logContext, () -> assertThat(b.health().role()).isEqualTo("leader"));
        long elected = System.nanoTime();
        Eventually.within(WAIT, b::logContext, () -> assertThat(keys()).contains("ldap|sender|h4@example.org"));
        long published = System.nanoTime();
        System.out.printf("SyncerHaIT failover: elected %d ms after kill -9, change published %d ms after kill -9%n",
                (elected - killed) / 1_000_000, (published - killed) / 1_000_000);
        assertThat(Duration.ofNanos(published - killed)).isLessThan(Duration.ofSeconds(30));
        assertThat(keys()).containsExactlyInAnyOrder("ldap|sender|h1@example.org", "ldap|login|h1",
                "ldap|sender|h2@example.org", "ldap|login|h2", "ldap|sender|h3@example.org", "ldap|login|h3",
                "ldap|sender|h4@example.org", "ldap|login|h4");

        // The old leader comes back: it stands by, the new one keeps publishing.
        a.start();
        Eventually.within(WAIT, a::logContext, () -> assertThat(a.health().role()).isEqualTo("standby"));
        slapd.ldapmodify("dn: uid=h1," + slapd.peopleDn() + "\nchangetype: modify\nreplace: smtpdSenderRestrictions\n"
                + "smtpdSenderRestrictions: FALSE\n\n");
        Eventually.within(WAIT, b::logContext, () -> assertThat(keys()).doesNotContain("ldap|sender|h1@example.org"));
        assertThat(b.health().role()).isEqualTo("leader");
        assertThat(a.health().body().get("lastCommit")).isNull();

        // The leader freezes (SIGSTOP) past the failover time: the standby takes over. When the old one thaws
        // it is a zombie: it must notice it lost the election and stand by, and publish nothing.
        b.signal("STOP");
        try {
            Eventually.within(WAIT, a::logContext, () -> assertThat(a.health().role()).isEqualTo("leader"));
            slapd.ldapadd(person("h5"));
            Eventually.within(WAIT, a::logContext, () -> assertThat(keys()).contains("ldap|sender|h5@example.org"));
        } finally {
            b.signal("CONT");
        }
        Eventually.within(WAIT, b::logContext, () -> assertThat(b.health().role()).isEqualTo("standby"));
        slapd.ldapadd(person("h6"));
        Eventually.within(WAIT, a::logContext, () -> assertThat(keys()).contains("ldap|sender|h6@example.org"));
        assertThat(a.health().role()).isEqualTo("leader");
        assertThat(b.health().role()).isEqualTo("standby");
    }
}
