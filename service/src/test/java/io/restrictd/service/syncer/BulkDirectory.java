package io.restrictd.service.syncer;

import io.restrictd.testkit.LdapFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * A large directory for slapadd (Fixtures.openLdap(Path)), and the restrictions it should give. Public for the
 * end-to-end tests in other packages.
 */
public final class BulkDirectory {
    private BulkDirectory() {
    }

    /** {@code n} restricted people {@code bN} under ou=people plus {@code n/10} unrestricted ones {@code fN}. */
    public static Path ldif(String name, int n) {
        StringBuilder b = new StringBuilder(n * 200);
        for (int i = 0; i < n + n / 10; i++) {
            String uid = (i < n ? "b" : "f") + i;
            b.append("dn: uid=").append(uid).append(",ou=people,dc=example,dc=org\n")
                    .append("objectClass: inetOrgPerson\nobjectClass: restrictdAccount\n")
                    .append("uid: ").append(uid).append("\ncn: ").append(uid).append("\nsn: ").append(uid)
                    .append("\nmail: ").append(uid).append("@example.org\n");
            if (i < n) {
                b.append("smtpdSenderRestrictions: TRUE\n");
            }
            b.append('\n');
        }
        try {
            Path f = Files.createTempFile(name, ".ldif");
            f.toFile().deleteOnExit();
            return Files.writeString(f, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys the directory says must be restricted, read with the real ldapsearch. */
    public static Set<String> expectedKeys(LdapFixture slapd) {
        Set<String> keys = new TreeSet<>();
        for (String line : slapd.ldapsearch("(smtpdSenderRestrictions=TRUE)", "mail", "uid").stdout().split("\n")) {
            if (line.startsWith("mail: ")) {
                keys.add("ldap|sender|" + line.substring(6).trim().toLowerCase(java.util.Locale.ROOT));
            } else if (line.startsWith("uid: ")) {
                keys.add("ldap|login|" + line.substring(5).trim());
            }
        }
        return keys;
    }
}
