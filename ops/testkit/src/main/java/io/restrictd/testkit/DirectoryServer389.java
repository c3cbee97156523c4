package io.restrictd.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real 389 Directory Server ({@code ns-slapd}; persistent search, entryUUID, the restrictd schema),
 * started by {@code ops/bin/389ds-local} with suffix {@code dc=example,dc=org} and {@code ou=people}
 * under it:
 * <pre>
 * &#64;RegisterExtension
 * static DirectoryServer389 ds = new DirectoryServer389();
 * ...
 * ds.ldapadd("dn: uid=u1,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\n...");
 * </pre>
 * The whole instance (configuration, data, logs) lives in the extension's directory, so nothing is
 * left behind once it is deleted. {@link #stop()}/{@link #start()} and {@link #kill()}/{@link #start()}
 * keep the data and the port. The first start takes a few seconds (dscreate, then one restart so the
 * entryUUID plugin serves the new backend); later starts about half a second.
 */
public final class DirectoryServer389 extends LdapServer {
    public DirectoryServer389() {
        super("389ds-local", "cn=Directory Manager");
    }

    @Override
    protected List<String> startArguments(Path dir) {
        return List.of("start", dir.toString());
    }

    @Override
    protected void checkBinaries() {
        Commands.require("ns-slapd", "389-ds-base");
        Commands.require("dscreate", "389-ds-base");
        Commands.require("pwdhash", "389-ds-base");
        Commands.require("ldapsearch", "ldap-utils");
        Commands.require("ldapmodify", "ldap-utils");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("DS_ROOTPW", rootPassword());
    }
}
