package io.restrictd.testkit;

import java.net.URI;

/**
 * A directory server started by one of the ops scripts: an {@link LdapFixture} on 127.0.0.1 that a test
 * may also {@link #stop()}, {@link #start()} and {@link #kill()} (keeping its data and port), and whose
 * directory ({@link #dir()}) holds its configuration and logs.
 */
public abstract class LdapServer extends ScriptedServer implements LdapFixture {

    private final String rootDn;
    private volatile String url;

    protected LdapServer(String script, String rootDn) {
        super(script);
        this.rootDn = rootDn;
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    @Override
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

    @Override
    public final String rootDn() {
        return rootDn;
    }

    /** SIGKILLs the server, as a crash would; {@link #start()} brings it back on the same data. */
    public final void kill() {
        killServer();
    }

    @Override
    protected void started(String address) {
        url = address;
    }
}
