package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.syncer.source.SyncerStatus;
import io.restrictd.testkit.DirectoryServer389;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * psearch mode against a real 389 Directory Server and a real broker: the scenarios every mode passes,
 * then a restart of 389-DS under a running syncer, then periodic reconciliation. Steps 1-4 run with
 * {@code ldap.reconcileInterval} off, so that only notifications can deliver their live changes.
 */
class PsearchIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static DirectoryServer389 ds = new DirectoryServer389();

    /** Off until step 5: a reconciliation must not cover for a notification the earlier steps test. */
    private Duration reconcileInterval = Duration.ZERO;

    PsearchIT() {
        super(kafka, ds, SyncerSettings.Mode.PSEARCH, "ps");
    }

    @Override
    SyncerSettings settings() {
        SyncerSettings s = super.settings();
        return new SyncerSettings(s.id(), s.mode(), s.pollInterval(), s.retryMin(), s.retryMax(),
                s.ldap().withReconcileInterval(reconcileInterval), s.mapping(), s.kafka(), s.failover());
    }

    private SyncerStatus status() {
        return syncer.syncer().status();
    }

    /** Waits until {@code n} more reconciliations (periodic ones, once connected) have finished. */
    private void awaitReconciliations(int n) {
        long target = status().reconciliations() + n;
        Eventually.within(WAIT, () -> assertThat(status().reconciliations()).isGreaterThanOrEqualTo(target));
    }

    private long stateRecords() {
        return TopicView.read(kafka.bootstrapServers(), prefix() + ".state").records();
    }

    @Test
    @Order(4)
    void shouldReconnectAndConvergeWhenTheDirectoryRestarts() {
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

    @Test
    @Order(5)
    void shouldPublishNothingWhenAPeriodicReconciliationFindsNothingChanged() throws InterruptedException {
        stop();
        reconcileInterval = Duration.ofSeconds(1);
        start();
        awaitReconciliations(1); // the connect-time one, which commits its marker
        expect("ldap|sender|u6@example.org", "ldap|login|u6");
        long records = records();
        long positions = stateRecords();

        awaitReconciliations(3);

        // Nothing differed: no event, and no transaction either (no position marker on the state topic).
        assertThat(records()).isEqualTo(records);
        assertThat(stateRecords()).isEqualTo(positions);
        assertThat(status().reconcileDifferences()).isZero();
        assertThat(status().lastReconciliation()).isNotNull();
    }

    /**
     * A change 389-DS never notifies: with Class of Service, an entry's {@code smtpdSenderRestrictions} comes
     * from a template entry outside the base; changing the template changes which entries match the filter,
     * and the persistent search tells only of the template. The next periodic reconciliation repairs it.
     */
    @Test
    @Order(6)
    void shouldRepairAChangeThePersistentSearchNeverNotified() {
        // Searching on a CoS attribute needs virtual attributes (389-DS 2.x ignores them by default).
        ds.ldapmodify("dn: cn=config\nchangetype: modify\nreplace: nsslapd-ignore-virtual-attrs\n"
                + "nsslapd-ignore-virtual-attrs: off\n\n");
        String cosOu = "ou=cos," + base;
        String template = "cn=restrictTemplate,ou=elsewhere," + ds.baseDn();
        ds.ldapadd("dn: " + template + "\nobjectClass: top\nobjectClass: extensibleObject\nobjectClass: cosTemplate\n"
                + "cn: restrictTemplate\nsmtpdSenderRestrictions: FALSE\n\n"
                + "dn: " + cosOu + "\nobjectClass: organizationalUnit\nou: cos\n\n"
                + "dn: cn=restrictCos," + cosOu + "\nobjectClass: top\nobjectClass: ldapSubEntry\n"
                + "objectClass: cosSuperDefinition\nobjectClass: cosPointerDefinition\ncn: restrictCos\n"
                + "cosTemplateDn: " + template + "\ncosAttribute: smtpdSenderRestrictions\n\n"
                + person("u8", false, "u8@example.org").replace("," + base, "," + cosOu));
        // u9's keys show that the notifications before them (u8's add among them) have been handled.
        ds.ldapadd(person("u9", true, "u9@example.org"));
        expect("ldap|sender|u6@example.org", "ldap|login|u6", "ldap|sender|u9@example.org", "ldap|login|u9");
        long reconnects = status().reconnects();
        long differences = status().reconcileDifferences();

        ds.ldapmodify("dn: " + template + "\nchangetype: modify\nreplace: smtpdSenderRestrictions\n"
                + "smtpdSenderRestrictions: TRUE\n\n");

        expect("ldap|sender|u6@example.org", "ldap|login|u6", "ldap|sender|u9@example.org", "ldap|login|u9",
                "ldap|sender|u8@example.org", "ldap|login|u8");
        assertThat(status().reconcileDifferences()).isGreaterThan(differences);
        assertThat(status().reconnects()).isEqualTo(reconnects); // repaired in the same session
        assertThat(syncer.failure.get()).isNull();
    }
}
