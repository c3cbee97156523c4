package io.restrictd.syncer.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.AsyncRequestID;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory, seen through UnboundID: connects to the first {@code ldap.urls} entry that answers
 * (LDAPS or StartTLS as configured), binds, and runs the searches the sync modes need. Errors come out
 * as {@link LdapFatalException} (retrying cannot help) or {@link LdapUnavailableException} (retry).
 *
 * <p>TLS (an {@code ldaps://} URL, or StartTLS) checks the server's certificate against {@code ldap.trustStore},
 * read once at construction, or the JVM's default trust, and checks that it names the URL's host
 * ({@link DirectoryTls}). A certificate that fails either check, or a server that refuses StartTLS, is a
 * configuration error: fatal, not retried.
 */
public final class Directory {
    private static final Logger LOG = LoggerFactory.getLogger(Directory.class);
    /** Result codes that say the configuration or the credentials are wrong, not the network. */
    private static final Set<ResultCode> FATAL = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.INVALID_DN_SYNTAX, ResultCode.FILTER_ERROR,
            ResultCode.NO_SUCH_OBJECT, ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.CONFIDENTIALITY_REQUIRED,
            ResultCode.STRONG_AUTH_REQUIRED, ResultCode.PARAM_ERROR, ResultCode.AUTH_METHOD_NOT_SUPPORTED,
            ResultCode.UNDEFINED_ATTRIBUTE_TYPE);

    private final LdapSettings settings;
    private final SearchScope scope;
    /** For ldaps:// URLs and StartTLS; null when no connection uses TLS. */
    private final DirectoryTls tls;
    private final EntryIds ids;
    /** Pages fetched by paged searches since start (a search of N entries takes N / PAGE_SIZE + 1). */
    private final AtomicLong pages = new AtomicLong();
    /** Entries per page of a paged search: below AD's MaxPageSize (1000), which caps what one page may hold. */
    static final int PAGE_SIZE = 500;

    public Directory(LdapSettings settings) {
        this.settings = settings;
        this.scope = scope(settings.scope());
        this.ids = new EntryIds(settings.idAttribute());
        for (String url : settings.urls()) {
            try {
                new LDAPURL(url);
            } catch (LDAPException e) {
                throw new IllegalArgumentException("ldap.urls: '" + url + "' is not an LDAP URL: "
                        + e.getMessage());
            }
        }
        this.tls = settings.usesTls() ? DirectoryTls.of(settings) : null;
    }

    /** {@code ldap.scope} as a search scope: base, one (onelevel) or sub (subtree); the one parser of it. */
    public static SearchScope scope(String scope) {
        return switch (scope == null ? "" : scope.toLowerCase(Locale.ROOT)) {
            case "base" -> SearchScope.BASE;
            case "one", "onelevel" -> SearchScope.ONE;
            case "sub", "subtree" -> SearchScope.SUB;
            default -> throw new IllegalArgumentException("ldap.scope: '" + scope + "' is not base, one or sub");
        };
    }

    /** How entries are identified. */
    public EntryIds ids() {
        return ids;
    }

    /** Pages fetched by paged searches since start. */
    public long pagesFetched() {
        return pages.get();
    }

    /**
     * Every entry under the base that matches the filter (a poll, or a reconciliation), in pages; entries
     * without a usable id are skipped ({@link EntryIds}).
     */
    public List<EntrySnapshot> searchAll() {
        try (LDAPConnection c = connect()) {
            return searchAll(c);
        }
    }

    /** As {@link #searchAll()}, on {@code c}. */
    List<EntrySnapshot> searchAll(LDAPConnection c) {
        List<EntrySnapshot> out = new ArrayList<>();
        try {
            searchPaged(c, new SearchRequest(settings.baseDn(), scope, settings.filter(), settings.searchAttributes()),
                    e -> ids.snapshot(e).ifPresent(out::add));
            return out;
        } catch (LDAPException e) {
            throw classify("searching " + settings.baseDn(), e);
        }
    }

    /**
     * Runs {@code request} with the simple paged results control (RFC 2696), page after page, handing every
     * entry to {@code sink}: AD returns at most MaxPageSize (1000) entries to a search without it.
     */
    void searchPaged(LDAPConnection c, SearchRequest request, Consumer<SearchResultEntry> sink) throws LDAPException {
        request.setResponseTimeoutMillis(0);
        ASN1OctetString cookie = null;
        do {
            request.setControls(new SimplePagedResultsControl(PAGE_SIZE, cookie, true));
            SearchResult result = c.search(request);
            pages.incrementAndGet();
            result.getSearchEntries().forEach(sink);
            SimplePagedResultsControl response = SimplePagedResultsControl.get(result);
            cookie = response == null || !response.moreResultsToReturn() ? null : response.getCookie();
        } while (cookie != null);
    }

    /**
     * Starts an RFC 4533 refreshAndPersist search from {@code cookie} (null: from scratch). Messages go to
     * {@code sink} in order, on the connection's reader thread; the last one is always a
     * {@link SyncMessage.Ended}. Close the returned handle to stop.
     */
    public SyncSession startSync(byte[] cookie, Consumer<SyncMessage> sink) {
        LDAPConnection c = connect();
        try {
            return SyncSession.start(c, settings, scope, cookie, sink);
        } catch (LDAPException e) {
            c.close();
            throw classify("starting content sync on " + settings.baseDn(), e);
        }
    }

    /** Connects to the first URL that answers and binds. */
    LDAPConnection connect() {
        LdapUnavailableException last = null;
        for (String url : settings.urls()) {
            try {
                return connect(new LDAPURL(url));
            } catch (LDAPException e) {
                RuntimeException r = classify("connecting to " + url, e);
                if (r instanceof LdapFatalException fatal) {
                    throw fatal;
                }
                last = (LdapUnavailableException) r;
                LOG.warn("{}", r.getMessage());
            } catch (GeneralSecurityException e) {
                throw new LdapFatalException("ldap.trustStore: cannot use " + tls.trustName() + ": "
                        + e.getMessage(), e);
            }
        }
        throw last;
    }

    private LDAPConnection connect(LDAPURL url) throws LDAPException, GeneralSecurityException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int timeoutMs = (int) settings.connectTimeout().toMillis();
        options.setConnectTimeoutMillis(timeoutMs);
        options.setResponseTimeoutMillis(timeoutMs); // binds and StartTLS; sync searches override it
        options.setUseKeepAlive(true);
        options.setAbandonOnTimeout(true);
        boolean ldaps = url.getScheme().equalsIgnoreCase("ldaps");
        int port = url.getPort();
        LDAPConnection c;
        try {
            c = ldaps ? new LDAPConnection(tls.socketFactory(), options, url.getHost(), port)
                    : new LDAPConnection(options, url.getHost(), port);
        } catch (LDAPException e) {
            throw tls == null ? e : tls.certificateFailureOr(url, e);
        }
        try {
            if (!ldaps && settings.startTls()) {
                startTls(c, url);
            }
            if (settings.bindDn() != null) {
                BindResult bound = c.bind(settings.bindDn(), settings.bindPassword());
                LOG.debug("bound to {} as {}: {}", url, settings.bindDn(), bound.getResultCode());
            }
            return c;
        } catch (LDAPException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Upgrades {@code c} with StartTLS; a server that answers with anything but success refuses it: fatal. */
    private void startTls(LDAPConnection c, LDAPURL url) throws LDAPException, GeneralSecurityException {
        ExtendedResult r;
        try {
            r = c.processExtendedOperation(new StartTLSExtendedRequest(tls.socketFactory()));
        } catch (LDAPException e) {
            LDAPException other = tls.certificateFailureOr(url, e);
            if (other.getResultCode().isClientSideResultCode()) {
                throw other; // the connection broke: retry
            }
            r = new ExtendedResult(other);
        }
        if (r.getResultCode() != ResultCode.SUCCESS) {
            throw new LdapFatalException("connecting to " + url + ": the server refused StartTLS: " + r.getResultCode()
                    + (r.getDiagnosticMessage() == null ? "" : " (" + r.getDiagnosticMessage() + ")")
                    + "; check ldap.startTls, or use an ldaps:// URL", new LDAPException(r));
        }
    }

    /** Attribute values by base name (options such as ;lang-de folded into the base attribute). */
    static EntrySnapshot snapshot(SearchResultEntry e, String uuid) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Attribute a : e.getAttributes()) {
            attributes.computeIfAbsent(a.getBaseName(), n -> new ArrayList<>()).addAll(List.of(a.getValues()));
        }
        return new EntrySnapshot(uuid, e.getDN(), attributes);
    }

    /** Sorts an LDAP error into fatal (configuration, credentials) or retriable; never includes the password. */
    static RuntimeException classify(String doing, LDAPException e) {
        // A server's diagnostic message, or for errors on the client side (connect error 91 and the like,
        // which have none) what went wrong underneath: "Connection refused", a TLS handshake that failed.
        Throwable cause = e.getDiagnosticMessage() == null ? underlying(e) : null;
        String detail = e.getDiagnosticMessage() != null ? e.getDiagnosticMessage()
                : cause == null ? null : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        String message = doing + ": " + e.getResultCode() + (detail == null ? "" : " (" + detail + ")");
        if (FATAL.contains(e.getResultCode())) {
            return new LdapFatalException(message + hint(e.getResultCode()), e);
        }
        if (cause instanceof SSLException) {
            // Not a certificate problem (those are fatal, see DirectoryTls): most often TLS spoken to a plain port.
            message += "; is this the server's TLS port? ldaps:// needs its LDAPS port (636), ldap:// with "
                    + "ldap.startTls its plain one (389)";
        }
        return new LdapUnavailableException(message, e);
    }

    /** The first cause that is neither an LDAPException nor a bare IOException wrapping one; null if none. */
    private static Throwable underlying(LDAPException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (!(t instanceof LDAPException) && t.getClass() != java.io.IOException.class) {
                return t;
            }
        }
        return null;
    }

    private static String hint(ResultCode code) {
        if (code == ResultCode.INVALID_CREDENTIALS) {
            return "; check ldap.bindDn and ldap.bindPassword/ldap.bindPasswordFile";
        }
        if (code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.INVALID_DN_SYNTAX) {
            return "; check ldap.baseDn and ldap.bindDn";
        }
        if (code == ResultCode.FILTER_ERROR) {
            return "; check ldap.filter";
        }
        return "";
    }

    /** Abandons a running search (if the connection still stands), then closes the connection; never throws. */
    static void abandonAndClose(LDAPConnection connection, AsyncRequestID request) {
        try {
            if (request != null && connection.isConnected()) {
                connection.abandon(request);
            }
        } catch (LDAPException e) {
            LOG.debug("abandon failed: {}", e.getMessage());
        } finally {
            connection.close();
        }
    }
}
