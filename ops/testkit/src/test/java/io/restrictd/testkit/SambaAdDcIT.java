package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SambaAdDcIT {

    @RegisterExtension
    static SambaAdDc ad = new SambaAdDc();

    @Test
    void shouldServeBulkLoadedAccountsWithObjectGuidAndAdMatchingRules() {
        ad.load(SambaAdDc.users(1200, i -> "kit" + i, false) + SambaAdDc.users(3, i -> "off" + i, true));
        CommandResult all = ad.ldapsearch("(sAMAccountName=kit*)", "objectGUID", "entryUUID");
        assertEquals(0, all.exitCode(), all::toString);
        assertEquals(1200, all.stdout().lines().filter(l -> l.startsWith("dn: ")).count());
        assertEquals(1200, all.stdout().lines().filter(l -> l.startsWith("objectGUID:: ")).count());
        assertFalse(all.stdout().contains("entryUUID"), "AD has no entryUUID");
        CommandResult disabled = ad.ldapsearch(
                "(&(userAccountControl:1.2.840.113556.1.4.803:=2)(!(isCriticalSystemObject=TRUE)))", "dn");
        assertEquals(3, disabled.stdout().lines().filter(l -> l.startsWith("dn: ")).count(), disabled::toString);
    }

    @Test
    void shouldKeepDataAcrossStopKillAndStartAndRefuseASecondDc() {
        ad.ldapadd("""
                dn: CN=survivor,OU=people,DC=example,DC=org
                objectClass: user
                sAMAccountName: survivor
                userAccountControl: 544
                """);
        ad.stop();
        ad.start();
        ad.kill();
        SambaAdDc other = new SambaAdDc();
        other.start();
        try {
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    ad::start);
            assertTrue(refused.getMessage().contains("port 389 is in use"), refused.getMessage());
        } finally {
            other.afterAll(null);
        }
        ad.start();
        assertTrue(ad.ldapsearch("(sAMAccountName=survivor)", "sAMAccountName").stdout()
                .contains("sAMAccountName: survivor"));
    }
}
