package io.restrictd.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
public final class DirectoryServer389 extends ScriptedServer {

    private static final String BASE_DN = "dc=example,dc=org";
    private static final String ROOT_DN = "cn=Directory Manager";
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(1);

    private final String rootPassword = "secret";
    private volatile String url;

    public DirectoryServer389() {
        super("389ds-local");
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

    /** {@code cn=Directory Manager}: the root DN, with no size or time limits. */
    public String rootDn() {
        return ROOT_DN;
    }

    public String rootPassword() {
        return rootPassword;
    }

    /** SIGKILLs ns-slapd, as a crash would; {@link #start()} brings it back on the same data. */
    public void kill() {
        killServer();
    }

    /** Runs the real {@code ldapmodify} as the root DN; fails on a non-zero exit. */
    public CommandResult ldapmodify(String ldif) {
        return Commands.check(List.of("ldapmodify", "-x", "-H", url(), "-D", ROOT_DN, "-w", rootPassword),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /** Runs the real {@code ldapmodify -a} (add entries) as the root DN; fails on a non-zero exit. */
    public CommandResult ldapadd(String ldif) {
        return Commands.check(List.of("ldapmodify", "-a", "-x", "-H", url(), "-D", ROOT_DN, "-w", rootPassword),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /**
     * Runs the real {@code ldapsearch} (subtree under the base DN, unwrapped LDIF) as the root DN.
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
        return List.of("start", dir.toString());
    }

    @Override
    protected void started(String address) {
        url = address;
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
        return Map.of("DS_ROOTPW", rootPassword);
    }
}
