package io.restrictd.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.DirectoryServer389;
import io.restrictd.testkit.KafkaBroker;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * psearch mode against a real 389 Directory Server and a real broker: the scenarios every mode passes,
 * then a restart of 389-DS under a running syncer.
 */
class PsearchIT extends SyncModeScenarios {
    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static DirectoryServer389 ds = new DirectoryServer389();

    PsearchIT() {
        super(kafka, ds, SyncerSettings.Mode.PSEARCH, "ps");
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
}
