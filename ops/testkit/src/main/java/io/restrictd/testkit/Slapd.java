package io.restrictd.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real OpenLDAP slapd (mdb, syncprov, the restrictd schema), started by {@code ops/bin/slapd-local}
 * with suffix {@code dc=example,dc=org} and {@code ou=people} under it:
 * <pre>
 * &#64;RegisterExtension
 * static Slapd slapd = new Slapd();                  // or new Slapd(Path.of("bulk.ldif"))
 * ...
 * slapd.ldapadd("dn: uid=u1,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\n...");
 * </pre>
 * {@link #stop()}/{@link #start()} and {@link #kill()}/{@link #start()} keep the data and the port.
 * Starts in well under a second.
 */
public final class Slapd extends LdapServer {
    private final Path bulkLdif;
    private volatile boolean loaded;

    /** An instance with the base entries only. */
    public Slapd() {
        this(null);
    }

    /**
     * An instance loaded with {@code bulkLdif} (by {@code slapadd -q}, before the first start).
     * The file may hold the suffix entry itself or only entries below the base ones.
     */
    public Slapd(Path bulkLdif) {
        super("slapd-local", "cn=admin,dc=example,dc=org");
        if (bulkLdif != null && !Files.isReadable(bulkLdif)) {
            throw new IllegalArgumentException("cannot read " + bulkLdif);
        }
        this.bulkLdif = bulkLdif == null ? null : bulkLdif.toAbsolutePath();
    }

    @Override
    protected List<String> startArguments(Path dir) {
        List<String> args = new ArrayList<>(List.of("start", dir.toString()));
        if (bulkLdif != null && !loaded) {
            args.add("--ldif");
            args.add(bulkLdif.toString());
        }
        return args;
    }

    @Override
    protected void started(String address) {
        super.started(address);
        loaded = true;
    }

    @Override
    protected void checkBinaries() {
        Commands.require("slapd", "slapd");
        Commands.require("slapadd", "slapd");
        Commands.require("slaptest", "slapd");
        Commands.require("ldapsearch", "ldap-utils");
        Commands.require("ldapmodify", "ldap-utils");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("SLAPD_ROOTPW", rootPassword());
    }
}
