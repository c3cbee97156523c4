package io.restrictd.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
public final class Slapd extends ScriptedServer {

    private static final String BASE_DN = "dc=example,dc=org";
    private static final String ROOT_DN = "cn=admin," + BASE_DN;
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(1);

    private final Path bulkLdif;
    private final String rootPassword;
    private volatile String url;
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
        super("slapd-local");
        if (bulkLdif != null && !Files.isReadable(bulkLdif)) {
            throw new IllegalArgumentException("cannot read " + bulkLdif);
        }
        this.bulkLdif = bulkLdif == null ? null : bulkLdif.toAbsolutePath();
        this.rootPassword = "secret";
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    public String url() {
        String u = url;
        if (u == null) {
            throw notStarted();
        }
        return u;
    }

    public int port() {
        return URI.create(url()).getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code dc=example,dc=org}. */
    public String baseDn() {
        return BASE_DN;
    }

    /** {@code ou=people,dc=example,dc=org}. */
    public String peopleDn() {
        return "ou=people," + BASE_DN;
    }

    /** {@code cn=admin,dc=example,dc=org}: the rootdn, with no size or time limits. */
    public String rootDn() {
        return ROOT_DN;
    }

    public String rootPassword() {
        return rootPassword;
    }

    /** SIGKILLs slapd, as a crash would; {@link #start()} brings it back on the same data. */
    public void kill() {
        killServer();
    }

    /** Runs the real {@code ldapmodify} as the rootdn; fails on a non-zero exit. */
    public CommandResult ldapmodify(String ldif) {
        return Commands.check(List.of("ldapmodify", "-x", "-H", url(), "-D", ROOT_DN, "-w", rootPassword),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /** Runs the real {@code ldapmodify -a} (add entries) as the rootdn; fails on a non-zero exit. */
    public CommandResult ldapadd(String ldif) {
        return Commands.check(List.of("ldapmodify", "-a", "-x", "-H", url(), "-D", ROOT_DN, "-w", rootPassword),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /**
     * Runs the real {@code ldapsearch} (subtree under the base DN, unwrapped LDIF) as the rootdn.
     * The result's exit code is 0 also when nothing matched; 32 when the base is missing.
     */
    public CommandResult ldapsearch(String filter, String... attributes) {
        List<String> command = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no",
                "-H", url(), "-D", ROOT_DN, "-w", rootPassword, "-b", BASE_DN, filter));
        command.addAll(List.of(attributes));
        return Commands.run(command, Map.of(), null, false, TOOL_TIMEOUT);
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
        url = address;
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
        return Map.of("SLAPD_ROOTPW", rootPassword);
    }
}
