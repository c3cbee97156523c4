package io.restrictd.syncer.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart's demo directory: UnboundID's in-memory LDAP server with restrictd's LDAP schema, seeded
 * from an LDIF file ({@code ops/demo/directory.ldif}) on first start and kept in {@code state} (an LDIF
 * export, written within a second of every change and at {@link #close()}), so a restarted quickstart finds
 * the directory as it left it. It has neither content sync nor persistent search: the syncer polls it.
 */
public final class DemoDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoDirectory.class);
    public static final String BASE_DN = "dc=example,dc=org";
    public static final String PEOPLE_DN = "ou=people,dc=example,dc=org";
    public static final String BIND_DN = "cn=admin,dc=example,dc=org";
    public static final String PASSWORD = "restrictd";
    public static final String FLAG = "smtpdSenderRestrictions";

    private final InMemoryDirectoryServer server;
    private final Path state;
    private final ScheduledExecutorService saver;
    private volatile boolean dirty;

    private DemoDirectory(InMemoryDirectoryServer server, Path state) {
        this.server = server;
        this.state = state;
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-directory-save");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the directory on {@code host:port}, from {@code state} if it exists, else from {@code seed}.
     *
     * @param seed a file, or null for the copy inside restrictd ({@code demo/directory.ldif} on the class path)
     * @throws DemoDirectoryException one line naming the file (and line) or the port at fault
     */
    public static DemoDirectory start(String host, int port, Path seed, Path state) {
        InMemoryDirectoryServer server;
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
            config.addAdditionalBindCredentials(BIND_DN, PASSWORD);
            config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), restrictdSchema()));
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName(host),
                    port, null));
            config.setAccessLogHandler(null);
            DemoDirectory[] self = new DemoDirectory[1];
            config.addInMemoryOperationInterceptor(new Interceptor(() -> self[0].dirty = true));
            server = new InMemoryDirectoryServer(config);
            DemoDirectory d = new DemoDirectory(server, state);
            self[0] = d;
            d.load(seed);
            try {
                server.startListening();
            } catch (LDAPException e) {
                throw new DemoDirectoryException("demo directory: cannot listen on " + host + ":" + port + " ("
                        + e.getDiagnosticMessage() + "): is something else using that port? (--ldap-port)");
            }
            d.saver.scheduleWithFixedDelay(d::saveIfChanged, 1, 1, TimeUnit.SECONDS);
            return d;
        } catch (LDAPException | IOException e) {
            throw new DemoDirectoryException("demo directory: " + e.getMessage());
        }
    }

    private void load(Path seed) throws IOException {
        Path from = state != null && Files.isRegularFile(state) ? state : seed;
        String name = from == null ? "demo/directory.ldif (built in)" : from.toString();
        byte[] ldif;
        try (InputStream in = from == null ? builtInSeed() : Files.newInputStream(from)) {
            ldif = in.readAllBytes();
        }
        // Read once to report a syntax error with its line; then import (which keeps the entryUUIDs a saved
        // state carries, so the syncer sees the same entries after a restart).
        int count = 0;
        try (LDIFReader reader = new LDIFReader(new java.io.ByteArrayInputStream(ldif))) {
            while (reader.readEntry() != null) {
                count++;
            }
        } catch (LDIFException e) {
            throw new DemoDirectoryException(name + " line " + e.getLineNumber() + ": "
                    + e.getMessage().replaceAll("\\s+", " "));
        }
        try (LDIFReader reader = new LDIFReader(new java.io.ByteArrayInputStream(ldif))) {
            server.importFromLDIF(true, reader);
        } catch (LDAPException e) {
            throw new DemoDirectoryException(name + ": " + (e.getDiagnosticMessage() != null
                    ? e.getDiagnosticMessage() : e.getMessage()));
        }
        LOG.info("demo directory: {} entries from {}", count, name);
    }

    private static InputStream builtInSeed() throws IOException {
        InputStream in = DemoDirectory.class.getResourceAsStream("/demo/directory.ldif");
        if (in == null) {
            throw new IOException("demo/directory.ldif is missing from the class path");
        }
        return in;
    }

    /** restrictd's schema, from the cn=config LDIF shipped in the schemas module (the one definition). */
    static Schema restrictdSchema() throws IOException, LDAPException {
        try (InputStream in = DemoDirectory.class.getResourceAsStream("/ldap/restrictd.ldif")) {
            if (in == null) {
                throw new IOException("ldap/restrictd.ldif is missing from the class path");
            }
            Entry olc = new LDIFReader(in).readEntry();
            Entry subschema = new Entry("cn=restrictd");
            subschema.addAttribute(new Attribute("attributeTypes", olc.getAttributeValues("olcAttributeTypes")));
            subschema.addAttribute(new Attribute("objectClasses", olc.getAttributeValues("olcObjectClasses")));
            return new Schema(subschema);
        } catch (LDIFException e) {
            throw new IOException("ldap/restrictd.ldif: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getListenPort();
    }

    public String url() {
        return "ldap://127.0.0.1:" + port();
    }

    private void saveIfChanged() {
        if (dirty && state != null) {
            dirty = false;
            save();
        }
    }

    /** Writes the directory to {@code state}: a temporary file, then an atomic rename. */
    private synchronized void save() {
        try {
            Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
            server.exportToLDIF(tmp.toString(), false, true);
            Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (LDAPException | IOException e) {
            LOG.warn("demo directory: cannot save to {}: {}", state, e.getMessage());
        }
    }

    /**
     * Sets ({@code restricted}) or replaces with FALSE the flag of the account whose {@code mail} is given, over
     * LDAP as {@code ldapmodify} would.
     *
     * @return the DN changed
     * @throws DemoDirectoryException if the directory does not answer or no account has that address
     */
    public static String flag(String host, int port, String mail, boolean restricted) {
        try (LDAPConnection c = new LDAPConnection(host, port, BIND_DN, PASSWORD)) {
            SearchResult r = c.search(PEOPLE_DN, SearchScope.SUB,
                    com.unboundid.ldap.sdk.Filter.createEqualityFilter("mail", mail), "1.1");
            if (r.getEntryCount() != 1) {
                throw new DemoDirectoryException("no demo account has mail " + mail + " (" + r.getEntryCount()
                        + " found)");
            }
            String dn = r.getSearchEntries().get(0).getDN();
            c.modify(dn, new Modification(ModificationType.REPLACE, FLAG, restricted ? "TRUE" : "FALSE"));
            return dn;
        } catch (LDAPException e) {
            throw new DemoDirectoryException("demo directory at " + host + ":" + port + ": "
                    + (e.getDiagnosticMessage() != null ? e.getDiagnosticMessage() : e.getResultCode().toString()));
        }
    }

    @Override
    public void close() {
        saver.shutdownNow();
        if (state != null) {
            save();
        }
        server.shutDown(true);
    }

    private static final class Interceptor extends InMemoryOperationInterceptor {
        private final Runnable changed;

        Interceptor(Runnable changed) {
            this.changed = changed;
        }

        @Override
        public void processAddResult(InMemoryInterceptedAddResult r) {
            changed.run();
        }

        @Override
        public void processDeleteResult(InMemoryInterceptedDeleteResult r) {
            changed.run();
        }

        @Override
        public void processModifyResult(InMemoryInterceptedModifyResult r) {
            changed.run();
        }

        @Override
        public void processModifyDNResult(InMemoryInterceptedModifyDNResult r) {
            changed.run();
        }
    }
}
