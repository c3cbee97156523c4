package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SlapdIT {

    @RegisterExtension
    static Slapd slapd = new Slapd();

    @RegisterExtension
    static Slapd bulk = new Slapd(resource("bulk.ldif"));

    @Test
    void shouldAnswerForTheBaseWithTheRestrictdSchemaLoaded() {
        assertTrue(slapd.url().matches("ldap://127\\.0\\.0\\.1:\\d+"), slapd.url());
        CommandResult base = slapd.ldapsearch("(objectClass=organizationalUnit)", "dn");
        assertEquals(0, base.exitCode(), base::toString);
        assertTrue(base.stdout().contains("dn: ou=people,dc=example,dc=org"), base::toString);

        slapd.ldapadd("""
                dn: uid=testuser2,ou=people,dc=example,dc=org
                objectClass: inetOrgPerson
                objectClass: restrictdAccount
                uid: testuser2
                cn: Test User 2
                sn: User
                mail: testuser2@example.org
                smtpdSenderRestrictions: TRUE
                smtpdSenderRestrictionMessage: talk to abuse@example.org
                smtpdSenderRestrictionAction: 550 5.7.1 talk to abuse@example.org
                smtpdSenderRestrictionExpiry: 20991231235959Z
                """);
        CommandResult found = slapd.ldapsearch("(&(smtpdSenderRestrictions=TRUE)(mail=testuser2@example.org))", "uid");
        assertTrue(found.stdout().contains("uid: testuser2"), found::toString);
    }

    @Test
    void shouldKeepDataAndAddressAcrossStopKillAndStart() {
        slapd.ldapadd("""
                dn: uid=survivor,ou=people,dc=example,dc=org
                objectClass: inetOrgPerson
                uid: survivor
                cn: Survivor
                sn: S
                """);
        String url = slapd.url();
        slapd.stop();
        slapd.start();
        slapd.kill();
        slapd.start();
        assertEquals(url, slapd.url());
        assertTrue(slapd.ldapsearch("(uid=survivor)", "uid").stdout().contains("uid: survivor"));
        slapd.ldapmodify("""
                dn: uid=survivor,ou=people,dc=example,dc=org
                changetype: modify
                replace: sn
                sn: Changed
                """);
        assertTrue(slapd.ldapsearch("(sn=Changed)", "uid").stdout().contains("uid: survivor"));
    }

    @Test
    void shouldStartWithTheBulkLdifLoaded() {
        CommandResult restricted = bulk.ldapsearch("(smtpdSenderRestrictions=TRUE)", "mail");
        assertEquals(2, restricted.lines().stream().filter(l -> l.startsWith("mail: ")).count(), restricted::toString);
    }

    private static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(SlapdIT.class.getResource("/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
