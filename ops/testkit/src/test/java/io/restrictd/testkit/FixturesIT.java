package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link Fixtures} promises, whichever set runs (-Drestrictd.fixtures=native|containers): a directory
 * with the base entries, the bulk LDIF, the restrictd schema and syncprov; a broker that takes topics.
 */
class FixturesIT {

    @RegisterExtension
    static LdapFixture slapd = Fixtures.openLdap(resource("bulk.ldif"));

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();

    @Test
    void shouldServeTheSeedEntriesAndTheBulkLdifWithTheRestrictdSchema() {
        CommandResult restricted = slapd.ldapsearch("(smtpdSenderRestrictions=TRUE)", "uid");
        assertEquals(0, restricted.exitCode(), restricted::toString);
        assertTrue(restricted.stdout().contains("uid: bulk1") && restricted.stdout().contains("uid: bulk2")
                && !restricted.stdout().contains("uid: bulk3"), restricted::toString);
        slapd.ldapadd("dn: uid=fixture1," + slapd.peopleDn() + "\nobjectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\nuid: fixture1\ncn: F\nsn: F\nmail: fixture1@example.org\n"
                + "smtpdSenderRestrictions: TRUE\n");
        assertTrue(slapd.ldapsearch("(mail=fixture1@example.org)", "uid").stdout().contains("uid: fixture1"));
    }

    @Test
    void shouldAnswerAContentSyncRequestAsSyncprovDoes() {
        // A critical RFC 4533 control: without syncprov slapd refuses it (unavailableCriticalExtension).
        CommandResult sync = Commands.run(List.of("ldapsearch", "-x", "-LLL", "-H", slapd.url(), "-D", slapd.rootDn(),
                "-w", slapd.rootPassword(), "-b", slapd.peopleDn(), "-E", "!sync=ro", "(uid=bulk1)", "dn"),
                Map.of(), null, false, Duration.ofMinutes(1));
        assertEquals(0, sync.exitCode(), sync::toString);
        assertTrue(sync.stdout().contains("dn: uid=bulk1,ou=people,dc=example,dc=org"), sync::toString);
    }

    @Test
    void shouldCreateTopicsOnTheBroker() {
        kafka.createTopic("fixtures.it", 2, true);
        kafka.createTopic("fixtures.it", 2, true); // exists already: no failure
        assertTrue(kafka.bootstrapServers().matches("[\\w.-]+:\\d+"), kafka.bootstrapServers());
    }

    private static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(FixturesIT.class.getResource("/" + name)).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
