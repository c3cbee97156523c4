package io.restrictd.syncer.ldap;

import com.unboundid.ldap.sdk.AsyncRequestID;
import com.unboundid.ldap.sdk.AsyncSearchResultListener;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.EntryChangeNotificationControl;
import com.unboundid.ldap.sdk.controls.PersistentSearchChangeType;
import com.unboundid.ldap.sdk.controls.PersistentSearchRequestControl;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent search (changesOnly, returnECs, all change types) on its own connection, plus the
 * reconciliation search and the re-reads that go with it, on that same connection and so on the same server.
 *
 * <p>The persistent search watches the naming context that holds {@code ldap.baseDn} with
 * {@code (objectClass=*)}, not the configured base and filter: 389-DS (checked with 2.3) notifies neither an
 * entry that stops matching the filter nor one moved out of the base, since it tests the entry as it is
 * after the change. Watching wider shows both; the consumer decides with {@link #read}.
 *
 * <p>Notifications go to the sink on UnboundID's reader thread, in the server's order, and end with exactly
 * one {@link PsearchMessage.Ended}. {@link #searchAll()} and {@link #read} block, so call them from another
 * thread (never from the sink). {@link #close()} from any thread.
 */
public final class PsearchSession implements AutoCloseable, AsyncSearchResultListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PsearchSession.class);

    private final transient LDAPConnection connection;
    private final transient LdapSettings settings;
    private final transient Directory directory;
    private final transient EntryIds ids;
    private final transient SearchScope scope;
    private final transient DN base;
    private final transient Consumer<PsearchMessage> sink;
    private final transient String[] attributes;
    private final AtomicBoolean ended = new AtomicBoolean();
    private transient AsyncRequestID request;

    private PsearchSession(LDAPConnection connection, Directory directory, LdapSettings settings,
            Consumer<PsearchMessage> sink)
            throws LDAPException {
        this.connection = connection;
        this.directory = directory;
        this.ids = directory.ids();
        this.settings = settings;
        this.sink = sink;
        this.scope = Directory.scope(settings.scope());
        this.base = new DN(settings.baseDn());
        this.attributes = settings.searchAttributes();
    }

    /**
     * Connects (the first of {@code ldap.urls} that answers) and starts the persistent search; changes from
     * the moment the server has taken the request on reach {@code sink}.
     *
     * @throws LdapUnavailableException if no server answers or the search cannot start for a passing reason
     * @throws LdapFatalException       for a configuration or credential error
     */
    public static PsearchSession start(Directory directory, LdapSettings settings, Consumer<PsearchMessage> sink) {
        LDAPConnection c = directory.connect();
        try {
            PsearchSession session = new PsearchSession(c, directory, settings, sink);
            String watched = session.namingContext();
            SearchRequest request = new SearchRequest(session, watched, SearchScope.SUB,
                    Filter.createPresenceFilter("objectClass"), session.ids.attributes().toArray(String[]::new));
            request.addControl(new PersistentSearchRequestControl(PersistentSearchChangeType.allChangeTypes(),
                    true, true));
            // UnboundID's default (300 s) would end a quiet persistent search: it has no end.
            request.setResponseTimeoutMillis(0);
            session.request = c.asyncSearch(request);
            LOG.info("persistent search on {} (base {}) at {}:{}", watched, settings.baseDn(),
                    c.getConnectedAddress(), c.getConnectedPort());
            return session;
        } catch (LDAPException e) {
            c.close();
            throw Directory.classify("starting a persistent search on " + settings.baseDn(), e);
        }
    }

    /** The naming context that holds the base, or the base itself if the root DSE does not say. */
    private String namingContext() throws LDAPException {
        RootDSE root = connection.getRootDSE();
        if (root != null && root.getNamingContextDNs() != null) {
            for (String context : root.getNamingContextDNs()) {
                if (!context.isEmpty() && base.isDescendantOf(context, true)) {
                    return context;
                }
            }
        }
        LOG.warn("no naming context of the server holds {}: watching the base only, so an entry moved out of "
                + "it is lifted at the next reconnect, not at once", settings.baseDn());
        return settings.baseDn();
    }

    /** {@code dn} in normalized form, as {@link PsearchMessage} carries DNs; lower case if it does not parse. */
    public static String normalize(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    /** True while the connection is up. */
    public boolean isConnected() {
        return connection.isConnected();
    }

    /**
     * Every entry under the base that matches the filter, now (the reconciliation), on this session's server.
     * In pages; entries without a usable id are skipped with a warning ({@link EntryIds}).
     */
    public List<EntrySnapshot> searchAll() {
        return directory.searchAll(connection);
    }

    /**
     * The entry at {@code dn} as it is now, if it exists and matches the filter; empty otherwise.
     *
     * @throws LdapUnavailableException when the server cannot answer (the session is then over)
     */
    public Optional<EntrySnapshot> read(String dn) {
        try {
            SearchRequest request = new SearchRequest(dn, SearchScope.BASE, settings.filter(), attributes);
            request.setResponseTimeoutMillis(Math.max(30_000, settings.connectTimeout().toMillis()));
            SearchResult result = connection.search(request);
            return result.getEntryCount() == 0 ? Optional.empty() : ids.snapshot(result.getSearchEntries().get(0));
        } catch (LDAPException e) {
            if (e.getResultCode() == com.unboundid.ldap.sdk.ResultCode.NO_SUCH_OBJECT) {
                return Optional.empty();
            }
            throw Directory.classify("reading " + dn, e);
        }
    }

    @Override
    public void searchEntryReturned(SearchResultEntry entry) {
        try {
            EntryChangeNotificationControl ec = EntryChangeNotificationControl.get(entry);
            if (ec == null) {
                LOG.warn("entry {} came without an entry change notification control; ignored", entry.getDN());
                return;
            }
            DN dn = entry.getParsedDN();
            String previous = ec.getPreviousDN() == null ? null : new DN(ec.getPreviousDN()).toNormalizedString();
            sink.accept(new PsearchMessage.Changed(change(ec.getChangeType()), dn.toNormalizedString(), previous,
                    ids.id(entry), dn.matchesBaseAndScope(base, scope)));
        } catch (LDAPException e) {
            LOG.warn("entry {}: undecodable change notification: {}", entry.getDN(), e.getMessage());
        }
    }

    @Override
    public void searchReferenceReturned(SearchResultReference reference) {
        LOG.debug("ignoring referral {}", (Object) reference.getReferralURLs());
    }

    @Override
    public void searchResultReceived(AsyncRequestID id, SearchResult result) {
        end(result.getResultCode() + (result.getDiagnosticMessage() == null ? ""
                : " (" + result.getDiagnosticMessage() + ")"));
    }

    /** Called by the consumer when the connection died without a result. */
    public void markDisconnected() {
        end("connection closed");
    }

    private void end(String detail) {
        if (ended.compareAndSet(false, true)) {
            sink.accept(new PsearchMessage.Ended(detail));
        }
    }

    @Override
    public void close() {
        ended.set(true);
        Directory.abandonAndClose(connection, request);
    }

    private static PsearchMessage.Change change(PersistentSearchChangeType type) {
        return switch (type) {
            case ADD -> PsearchMessage.Change.ADD;
            case DELETE -> PsearchMessage.Change.DELETE;
            case MODIFY -> PsearchMessage.Change.MODIFY;
            case MODIFY_DN -> PsearchMessage.Change.MODDN;
        };
    }
}
