package io.restrictd.syncer.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.experimental.ActiveDirectoryDirSyncControl;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection to an Active Directory DC (or Samba) for {@code ldap.mode: dirsync}: DirSync passes
 * (control {@code 1.2.840.113556.1.4.841}) over the whole naming context, and the searches that decide what
 * the changed entries now stand for, on the same DC (a DirSync cookie belongs to the DC that issued it).
 *
 * <p>DirSync is not filtered: with a narrow filter AD does not return an entry that stops matching, so the
 * pass asks for every object, and {@link #read} re-reads the changed ones by objectGUID with
 * {@code ldap.filter}, evaluated by the server (AD's matching rules keep their meaning), then applies the base
 * and scope itself. Not thread-safe, except {@link #close()}.
 */
public final class DirsyncSession implements AutoCloseable {
    /** GUIDs per re-read search: keeps the OR filter well below AD's request size limits. */
    private static final int READ_BATCH = 200;
    /** AD's bitwise-AND/transitive matching rule for nested group membership. */
    private static final String IN_CHAIN = "1.2.840.113556.1.4.1941";
    /** What a DC answers to a cookie it cannot use (Samba 4.17: 12, "Unable to unmarshall cookie"). */
    private static final Set<ResultCode> COOKIE_REFUSALS = Set.of(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION,
            ResultCode.PROTOCOL_ERROR,
            ResultCode.UNWILLING_TO_PERFORM, ResultCode.OTHER, ResultCode.OPERATIONS_ERROR,
            ResultCode.CONSTRAINT_VIOLATION);

    private final LDAPConnection connection;
    private final Directory directory;
    private final LdapSettings settings;
    private final String root;
    private final DN base;
    private final SearchScope scope;

    /** What one DirSync pass reported: the objects that changed, and the cookie after them. */
    public record Pass(List<Changed> changed, byte[] cookie) {
    }

    /**
     * One changed object.
     *
     * @param id      its objectGUID (text form)
     * @param dn      its DN now (for a deleted object, its DN under CN=Deleted Objects)
     * @param deleted whether it is a tombstone ({@code isDeleted: TRUE})
     * @param group   whether its {@code member} changed (a group: its members are to be re-evaluated)
     */
    public record Changed(String id, String dn, boolean deleted, boolean group) {
    }

    /** The DC refused the cookie (too old, from another DC): a full resynchronisation is needed. */
    public static final class CookieRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CookieRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DirsyncSession(LDAPConnection connection, Directory directory, LdapSettings settings) throws LDAPException {
        this.connection = connection;
        this.directory = directory;
        this.settings = settings;
        this.base = new DN(settings.baseDn());
        this.scope = Directory.scope(settings.scope());
        this.root = namingContext(connection, base);
    }

    /** Connects and binds (the first of {@code ldap.urls} that answers). */
    public static DirsyncSession open(Directory directory, LdapSettings settings) {
        LDAPConnection c = directory.connect();
        try {
            return new DirsyncSession(c, directory, settings);
        } catch (LDAPException e) {
            c.close();
            throw Directory.classify("reading the root DSE", e);
        }
    }

    /** The naming context that holds the base (DirSync must start at one), or the default one. */
    private static String namingContext(LDAPConnection c, DN base) throws LDAPException {
        RootDSE dse = c.getRootDSE();
        if (dse != null && dse.getNamingContextDNs() != null) {
            for (String context : dse.getNamingContextDNs()) {
                if (!context.isEmpty() && base.isDescendantOf(context, true)) {
                    return context;
                }
            }
        }
        String fallback = dse == null ? null : dse.getAttributeValue("defaultNamingContext");
        if (fallback == null) {
            throw new LdapFatalException("no naming context of the server holds ldap.baseDn " + base
                    + "; check ldap.baseDn", null);
        }
        return fallback;
    }

    /** The naming context DirSync follows. */
    public String root() {
        return root;
    }

    /**
     * One DirSync pass from {@code cookie} (null: from scratch, every object) to the end of the changes, all
     * its pages. From scratch only the cookie matters to the caller: the objects are not collected.
     *
     * @throws CookieRefusedException when the DC refuses {@code cookie}
     * @throws LdapFatalException     when the bind account lacks the right to use DirSync
     */
    public Pass changes(byte[] cookie) {
        List<Changed> changed = new ArrayList<>();
        ASN1OctetString position = cookie == null ? null : new ASN1OctetString(cookie);
        boolean more = true;
        while (more) {
            SearchRequest request = new SearchRequest(root, SearchScope.SUB, Filter.createPresenceFilter("objectClass"),
                    cookie == null ? new String[] {EntryIds.OBJECT_GUID} : new String[] {"*"});
            request.setResponseTimeoutMillis(0);
            request.addControl(new ActiveDirectoryDirSyncControl(true, 0, 0, position));
            SearchResult result;
            try {
                result = connection.search(request);
            } catch (LDAPException e) {
                throw refusal(e, cookie != null);
            }
            if (cookie != null) {
                for (SearchResultEntry e : result.getSearchEntries()) {
                    changed(e, changed);
                }
            }
            ActiveDirectoryDirSyncControl response;
            try {
                response = ActiveDirectoryDirSyncControl.get(result);
            } catch (LDAPException e) {
                throw new LdapUnavailableException("undecodable DirSync response: " + e.getMessage(), e);
            }
            if (response == null) {
                throw new LdapFatalException("the server answered a DirSync search without the DirSync control: "
                        + "it does not support DirSync (use ldap.mode: poll)", null);
            }
            position = response.getCookie();
            more = response.getFlags() != 0;
        }
        return new Pass(changed, position == null ? null : position.getValue());
    }

    private void changed(SearchResultEntry e, List<Changed> into) {
        String id = directory.ids().id(e);
        if (id == null) {
            return; // DirSync always sends objectGUID; nothing to follow without one
        }
        boolean deleted = "TRUE".equalsIgnoreCase(e.getAttributeValue("isDeleted"));
        into.add(new Changed(id, e.getDN(), deleted, e.hasAttribute("member")));
    }

    private RuntimeException refusal(LDAPException e, boolean withCookie) {
        if (e.getResultCode() == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
            return new LdapFatalException("DirSync on " + root + " refused: " + e.getResultCode()
                    + (e.getDiagnosticMessage() == null ? "" : " (" + e.getDiagnosticMessage() + ")")
                    + ": the bind account " + settings.bindDn() + " lacks the DirSync right (Replicating Directory "
                    + "Changes on the naming context); grant it, or use ldap.mode: poll", e);
        }
        if (withCookie && COOKIE_REFUSALS.contains(e.getResultCode())) {
            return new CookieRefusedException("the DC refused the DirSync cookie: " + e.getResultCode()
                    + (e.getDiagnosticMessage() == null ? "" : " (" + e.getDiagnosticMessage() + ")"), e);
        }
        return Directory.classify("DirSync on " + root, e);
    }

    /**
     * What the entries with these ids are now: those that exist, match {@code ldap.filter} (on the server) and
     * lie within the base and scope. An id missing from the answer stands for nothing.
     */
    public Map<String, EntrySnapshot> read(Collection<String> ids) {
        Map<String, EntrySnapshot> out = new HashMap<>();
        List<String> all = List.copyOf(ids);
        try {
            Filter configured = Filter.create(settings.filter());
            for (int i = 0; i < all.size(); i += READ_BATCH) {
                List<Filter> guids = new ArrayList<>();
                for (String id : all.subList(i, Math.min(all.size(), i + READ_BATCH))) {
                    guids.add(EntryIds.guidFilter(id));
                }
                SearchRequest request = new SearchRequest(root, SearchScope.SUB,
                        Filter.createANDFilter(Filter.createORFilter(guids), configured), settings.searchAttributes());
                directory.searchPaged(connection, request, e -> {
                    if (inScope(e)) {
                        directory.ids().snapshot(e).ifPresent(s -> out.put(s.uuid(), s));
                    }
                });
            }
            return out;
        } catch (LDAPException e) {
            throw Directory.classify("re-reading changed entries", e);
        }
    }

    private boolean inScope(SearchResultEntry e) {
        try {
            return e.getParsedDN().matchesBaseAndScope(base, scope);
        } catch (LDAPException bad) {
            return false;
        }
    }

    /** The ids of every member of {@code groupDn}, nested ones included (AD's in-chain matching rule). */
    public List<String> members(String groupDn) {
        List<String> out = new ArrayList<>();
        try {
            Filter chain = Filter.createExtensibleMatchFilter("memberOf", IN_CHAIN, false, groupDn);
            directory.searchPaged(connection, new SearchRequest(root, SearchScope.SUB, chain, EntryIds.OBJECT_GUID),
                    e -> {
                        String id = directory.ids().id(e);
                        if (id != null) {
                            out.add(id);
                        }
                    });
            return out;
        } catch (LDAPException e) {
            throw Directory.classify("reading the members of " + groupDn, e);
        }
    }

    /** Every entry under the base that matches the filter, paged, on this DC. */
    public List<EntrySnapshot> searchAll() {
        return directory.searchAll(connection);
    }

    /** True while the connection is up. */
    public boolean isConnected() {
        return connection.isConnected();
    }

    @Override
    public void close() {
        connection.close();
    }
}
