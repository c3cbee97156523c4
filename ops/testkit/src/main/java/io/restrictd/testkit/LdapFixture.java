package io.restrictd.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;

/**
 * A directory server for a test class, as a JUnit 5 extension (register it on a static field with
 * {@code @RegisterExtension}; it starts before the class and stops after it): the suffix
 * {@code dc=example,dc=org} with {@code ou=people} under it, a root DN with no limits, and the real
 * ldap-utils tools bound as that root DN. {@link Fixtures#openLdap()} gives an OpenLDAP slapd with syncprov
 * and the restrictd schema, native or in a container; the native-only servers ({@link Slapd} with TLS,
 * {@link DirectoryServer389}) are {@link LdapServer}s, which are fixtures too.
 *
 * <p>Accessors may be called from any thread once started; before, they throw
 * {@link IllegalStateException}. The tool methods run the host's {@code ldapmodify}/{@code ldapsearch}
 * (Debian package ldap-utils) against {@link #url()}, whichever fixture it is.
 */
public interface LdapFixture extends BeforeAllCallback, AfterAllCallback {

    /** The password of {@link #rootDn()} in every directory of the kit. */
    String ROOT_PASSWORD = "secret";

    /** How long one ldap-utils command may take. */
    Duration TOOL_TIMEOUT = Duration.ofMinutes(1);

    /** {@code ldap://HOST:PORT}, plain LDAP, reachable from this JVM. */
    String url();

    /** The root DN, with no size or time limits. */
    String rootDn();

    /** {@value #ROOT_PASSWORD}. */
    default String rootPassword() {
        return ROOT_PASSWORD;
    }

    /** {@code dc=example,dc=org}. */
    default String baseDn() {
        return "dc=example,dc=org";
    }

    /** {@code ou=people,dc=example,dc=org}. */
    default String peopleDn() {
        return "ou=people," + baseDn();
    }

    /** Runs the real {@code ldapmodify} as the root DN; fails on a non-zero exit. */
    default CommandResult ldapmodify(String ldif) {
        return Commands.check(List.of("ldapmodify", "-x", "-H", url(), "-D", rootDn(), "-w", rootPassword()),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /** Runs the real {@code ldapmodify -a} (add entries) as the root DN; fails on a non-zero exit. */
    default CommandResult ldapadd(String ldif) {
        return Commands.check(List.of("ldapmodify", "-a", "-x", "-H", url(), "-D", rootDn(), "-w", rootPassword()),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /**
     * Runs the real {@code ldapsearch} (subtree under the base DN, unwrapped LDIF) as the root DN.
     * The result's exit code is 0 also when nothing matched; 32 when the base is missing.
     */
    default CommandResult ldapsearch(String filter, String... attributes) {
        List<String> command = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no",
                "-H", url(), "-D", rootDn(), "-w", rootPassword(), "-b", baseDn(), filter));
        command.addAll(List.of(attributes));
        return Commands.run(command, Map.of(), null, false, TOOL_TIMEOUT);
    }
}
