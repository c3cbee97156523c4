package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Samba 4 Active Directory domain controller (LDAP only; objectGUID ids, DirSync, AD's matching
 * rules), started by {@code ops/bin/samba-ad-local}: naming context {@code DC=example,DC=org} with
 * {@code OU=people} under it, the administrator {@code CN=Administrator,CN=Users,DC=example,DC=org}
 * (password {@code secret}) as root DN:
 * <pre>
 * &#64;RegisterExtension
 * static SambaAdDc ad = new SambaAdDc();
 * ...
 * ad.load(SambaAdDc.users(2000, i -&gt; "u" + i, false)); // thousands of accounts in one transaction
 * ad.ldapmodify("dn: CN=u1,OU=people,DC=example,DC=org\nchangetype: modify\n...");
 * </pre>
 * Samba's LDAP port is fixed at 389: the tests need root and run one DC at a time. As an extension
 * ({@code @RegisterExtension}) the fixture holds a {@link HostLock} from before the class's first test to
 * after its last, so test classes in other forks wait for it; a second DC started by hand fails, naming
 * the first. Provisioning happens once per host (a template); each instance starts from a copy,
 * in about a second. {@link #stop()}/{@link #start()} and {@link #kill()}/{@link #start()} keep the data.
 */
public final class SambaAdDc extends LdapServer {
    /** {@code userAccountControl} of an enabled account that needs no password (NORMAL_ACCOUNT | PASSWD_NOTREQD). */
    public static final int ENABLED = 544;
    /** The same, disabled (ACCOUNTDISABLE). */
    public static final int DISABLED = 546;

    /** One DC per host: shared by every instance of this JVM, and by file lock with other JVMs. */
    private static final HostLock PORT_389 = new HostLock("samba-ad-389");

    private final boolean tls;

    /** A DC without TLS. */
    public SambaAdDc() {
        this(false);
    }

    private SambaAdDc(boolean tls) {
        super("samba-ad-local", "CN=Administrator,CN=Users,DC=example,DC=org");
        this.tls = tls;
    }

    /**
     * A DC that also speaks TLS: StartTLS on {@link #url()}, LDAPS on {@link #ldapsUrl()}, with a server
     * certificate for 127.0.0.1 signed by a throwaway CA ({@link #caCertificate()}).
     */
    public static SambaAdDc withTls() {
        return new SambaAdDc(true);
    }

    /** Waits for any DC of another test class or fork to be gone, then starts this one. */
    @Override
    public void beforeAll(ExtensionContext context) {
        PORT_389.acquire();
        try {
            super.beforeAll(context);
        } catch (RuntimeException | Error e) {
            PORT_389.release();
            throw e;
        }
    }

    /** Stops the DC and lets the next test class have port 389. */
    @Override
    public void afterAll(ExtensionContext context) {
        try {
            super.afterAll(context);
        } finally {
            PORT_389.release();
        }
    }

    /** {@code ldaps://127.0.0.1:636}. @throws IllegalStateException without TLS */
    public String ldapsUrl() {
        requireTls();
        return "ldaps://127.0.0.1:636";
    }

    /** The PEM file of the CA that signed the DC's certificate. @throws IllegalStateException without TLS */
    public Path caCertificate() {
        requireTls();
        return dir().resolve("tls/ca.pem");
    }

    private void requireTls() {
        if (!tls) {
            throw new IllegalStateException("this SambaAdDc has no TLS: use SambaAdDc.withTls()");
        }
    }

    /** The DN of account {@code cn} under {@code OU=people}. */
    public String userDn(String cn) {
        return "CN=" + cn + ",OU=people,DC=example,DC=org";
    }

    /**
     * LDIF for {@code count} user accounts {@code CN=<name>,OU=people,...} with sAMAccountName {@code name},
     * userPrincipalName and mail {@code name@example.org}, enabled or disabled.
     */
    public static String users(int count, java.util.function.IntFunction<String> name, boolean disabled) {
        StringBuilder b = new StringBuilder(count * 200);
        for (int i = 0; i < count; i++) {
            String n = name.apply(i);
            b.append("dn: CN=").append(n).append(",OU=people,DC=example,DC=org\nobjectClass: user\n")
                    .append("sAMAccountName: ").append(n).append('\n')
                    .append("userPrincipalName: ").append(n).append("@example.org\n")
                    .append("mail: ").append(n).append("@example.org\n")
                    .append("userAccountControl: ").append(disabled ? DISABLED : ENABLED).append("\n\n");
        }
        return b.toString();
    }

    /**
     * Adds the entries of {@code ldif} straight into the DC's database in one transaction ({@code ldbadd}), far
     * faster than LDAP adds (Samba commits each of those to disk); the running DC serves them at once.
     */
    public CommandResult load(String ldif) {
        try {
            Path file = Files.createTempFile(dir(), "load", ".ldif");
            Files.writeString(file, ldif);
            try {
                return runScript(List.of("load", dir().toString(), file.toString()), Duration.ofMinutes(30));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> startArguments(Path dir) {
        return tls ? List.of("start", dir.toString(), "--tls") : List.of("start", dir.toString());
    }

    @Override
    protected void checkBinaries() {
        Commands.require("samba", "samba");
        Commands.require("samba-tool", "samba");
        Commands.require("ldbadd", "ldb-tools");
        Commands.require("ldapsearch", "ldap-utils");
        Commands.require("ldapmodify", "ldap-utils");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("AD_ADMINPASS", rootPassword());
    }
}
