package io.restrictd.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every directory server of the kit offers once started by its script: its address, the
 * suffix {@code dc=example,dc=org} with {@code ou=people} under it, a root DN with no limits, and
 * the real ldap-utils tools bound as that root DN.
 */
public abstract class LdapServer extends ScriptedServer {
    private static final String BASE_DN = "dc=example,dc=org";
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(1);

    private final String rootDn;
    private final String rootPassword = "secret";
    private volatile String url;

    protected LdapServer(String script, String rootDn) {
        super(script);
        this.rootDn = rootDn;
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    public final String url() {
        String u = url;
        if (u == null) {
            throw notStarted();
        }
        return u;
    }

    public final int port() {
        return URI.create(url()).getPort();
    }

    public final String host() {
        return "127.0.0.1";
    }

    /** {@code dc=example,dc=org}. */
    public final String baseDn() {
        return BASE_DN;
    }

    /** {@code ou=people,dc=example,dc=org}. */
    public final String peopleDn() {
        return "ou=people," + BASE_DN;
    }

    /** The root DN, with no size or time limits. */
    public final String rootDn() {
        return rootDn;
    }

    public final String rootPassword() {
        return rootPassword;
    }

    /** SIGKILLs the server, as a crash would; {@link #start()} brings it back on the same data. */
    public final void kill() {
        killServer();
    }

    /** Runs the real {@code ldapmodify} as the root DN; fails on a non-zero exit. */
    public final CommandResult ldapmodify(String ldif) {
        return Commands.check(List.of("ldapmodify", "-x", "-H", url(), "-D", rootDn, "-w", rootPassword),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /** Runs the real {@code ldapmodify -a} (add entries) as the root DN; fails on a non-zero exit. */
    public final CommandResult ldapadd(String ldif) {
        return Commands.check(List.of("ldapmodify", "-a", "-x", "-H", url(), "-D", rootDn, "-w", rootPassword),
                Map.of(), ldif, TOOL_TIMEOUT);
    }

    /**
     * Runs the real {@code ldapsearch} (subtree under the base DN, unwrapped LDIF) as the root DN.
     * The result's exit code is 0 also when nothing matched; 32 when the base is missing.
     */
    public final CommandResult ldapsearch(String filter, String... attributes) {
        List<String> command = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no",
                "-H", url(), "-D", rootDn, "-w", rootPassword, "-b", BASE_DN, filter));
        command.addAll(List.of(attributes));
        return Commands.run(command, Map.of(), null, false, TOOL_TIMEOUT);
    }

    @Override
    protected void started(String address) {
        url = address;
    }
}
