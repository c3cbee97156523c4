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
 * &#64;RegisterExtension
 * static Slapd secure = Slapd.builder().tls().build(); // StartTLS on url(), and ldapsUrl()
 * ...
 * slapd.ldapadd("dn: uid=u1,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\n...");
 * </pre>
 * {@link #stop()}/{@link #start()} and {@link #kill()}/{@link #start()} keep the data and the port(s).
 * Starts in well under a second. With TLS, {@link #url()} still answers in plain text too (the ldap-utils
 * methods use it), offers StartTLS, and the server certificate is signed by a throwaway CA made at the
 * first start: {@link #caCertificate()}.
 */
public final class Slapd extends LdapServer {
    private final Path bulkLdif;
    private final String tlsSubjectAltNames;
    private volatile boolean loaded;
    private volatile String ldapsUrl;

    /** An instance with the base entries only. */
    public Slapd() {
        this(null);
    }

    /**
     * An instance loaded with {@code bulkLdif} (by {@code slapadd -q}, before the first start).
     * The file may hold the suffix entry itself or only entries below the base ones.
     */
    public Slapd(Path bulkLdif) {
        this(bulkLdif, null);
    }

    private Slapd(Path bulkLdif, String tlsSubjectAltNames) {
        super("slapd-local", "cn=admin,dc=example,dc=org");
        if (bulkLdif != null && !Files.isReadable(bulkLdif)) {
            throw new IllegalArgumentException("cannot read " + bulkLdif);
        }
        this.bulkLdif = bulkLdif == null ? null : bulkLdif.toAbsolutePath();
        this.tlsSubjectAltNames = tlsSubjectAltNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this instance serves TLS (StartTLS and ldaps://). */
    public boolean isTls() {
        return tlsSubjectAltNames != null;
    }

    /**
     * {@code ldaps://127.0.0.1:PORT}.
     *
     * @throws IllegalStateException if the instance is not started or has no TLS
     */
    public String ldapsUrl() {
        requireTls();
        String u = ldapsUrl;
        if (u == null) {
            throw notStarted();
        }
        return u;
    }

    /**
     * The PEM file of the throwaway CA that signed the server certificate: what a client must trust.
     *
     * @throws IllegalStateException if the instance is not started or has no TLS
     */
    public Path caCertificate() {
        requireTls();
        return dir().resolve("tls/ca.pem");
    }

    @Override
    protected List<String> startArguments(Path dir) {
        List<String> args = new ArrayList<>(List.of("start", dir.toString()));
        if (bulkLdif != null && !loaded) {
            args.add("--ldif");
            args.add(bulkLdif.toString());
        }
        if (isTls()) {
            args.add("--tls-san");
            args.add(tlsSubjectAltNames);
        }
        return args;
    }

    /** The script prints the ldap:// URL, then with TLS the ldaps:// one. */
    @Override
    protected void started(String address) {
        List<String> urls = address.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (urls.isEmpty() || isTls() != (urls.size() == 2)) {
            throw new IllegalStateException("slapd-local printed '" + address + "', expected "
                    + (isTls() ? "an ldap:// and an ldaps:// URL" : "an ldap:// URL"));
        }
        super.started(urls.get(0));
        ldapsUrl = isTls() ? urls.get(1) : null;
        loaded = true;
    }

    @Override
    protected void checkBinaries() {
        Commands.require("slapd", "slapd");
        Commands.require("slapadd", "slapd");
        Commands.require("slaptest", "slapd");
        Commands.require("ldapsearch", "ldap-utils");
        Commands.require("ldapmodify", "ldap-utils");
        if (isTls()) {
            Commands.require("openssl", "openssl");
        }
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("SLAPD_ROOTPW", rootPassword());
    }

    private void requireTls() {
        if (!isTls()) {
            throw new IllegalStateException("this Slapd has no TLS: build it with Slapd.builder().tls()");
        }
    }

    /** Options for a {@link Slapd}; the constructors cover the plain cases. */
    public static final class Builder {
        /** What the server certificate names unless told otherwise: the address the kit binds. */
        public static final String LOOPBACK_NAMES = "IP:127.0.0.1,DNS:localhost";

        private Path bulkLdif;
        private String tlsSubjectAltNames;

        private Builder() {
        }

        /** Loads {@code ldif} before the first start, as {@link Slapd#Slapd(Path)}. */
        public Builder ldif(Path ldif) {
            this.bulkLdif = ldif;
            return this;
        }

        /** StartTLS and ldaps://, with a certificate for 127.0.0.1 and localhost. */
        public Builder tls() {
            return tls(LOOPBACK_NAMES);
        }

        /**
         * StartTLS and ldaps://, with a certificate that names {@code subjectAltNames} (openssl syntax, e.g.
         * {@code DNS:ldap.example.net}) instead: for testing that clients refuse a certificate for another host.
         */
        public Builder tls(String subjectAltNames) {
            if (subjectAltNames == null || subjectAltNames.isBlank()) {
                throw new IllegalArgumentException("subjectAltNames is empty");
            }
            this.tlsSubjectAltNames = subjectAltNames;
            return this;
        }

        public Slapd build() {
            return new Slapd(bulkLdif, tlsSubjectAltNames);
        }
    }
}
