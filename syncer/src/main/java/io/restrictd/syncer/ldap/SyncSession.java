package io.restrictd.syncer.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.AsyncRequestID;
import com.unboundid.ldap.sdk.AsyncSearchResultListener;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoIntermediateResponse;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.ContentSyncStateControl;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RFC 4533 refreshAndPersist search on its own connection. Translates every entry and info message into
 * a {@link SyncMessage}, in the order the server sent them, and ends with exactly one
 * {@link SyncMessage.Ended}. Callbacks run on UnboundID's reader thread; {@link #close()} from any thread.
 */
public final class SyncSession implements AutoCloseable, AsyncSearchResultListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

    private final transient LDAPConnection connection;
    private final transient Consumer<SyncMessage> sink;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closed;
    private transient AsyncRequestID request;

    private SyncSession(LDAPConnection connection, Consumer<SyncMessage> sink) {
        this.connection = connection;
        this.sink = sink;
    }

    static SyncSession start(LDAPConnection c, LdapSettings settings, SearchScope scope, byte[] cookie,
            Consumer<SyncMessage> sink) throws LDAPException {
        SyncSession session = new SyncSession(c, sink);
        SearchRequest request = new SearchRequest(session, settings.baseDn(), scope, settings.filter(),
                settings.searchAttributes());
        request.addControl(new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_AND_PERSIST,
                cookie == null ? null : new ASN1OctetString(cookie), false));
        request.setIntermediateResponseListener(session::intermediate);
        // UnboundID's default (300 s) would end a quiet persist stage: a sync search has no end.
        request.setResponseTimeoutMillis(0);
        session.request = c.asyncSearch(request);
        return session;
    }

    /** True while the connection is up; a dead connection without a result still means the search is over. */
    public boolean isConnected() {
        return connection.isConnected();
    }

    @Override
    public void searchEntryReturned(SearchResultEntry entry) {
        try {
            ContentSyncStateControl state = ContentSyncStateControl.get(entry);
            if (state == null) {
                LOG.warn("entry {} came without a sync state control; ignored", entry.getDN());
                return;
            }
            String uuid = text(state.getEntryUUID());
            byte[] cookie = bytes(state.getCookie());
            switch (state.getState()) {
                case ADD, MODIFY -> sink.accept(new SyncMessage.Changed(Directory.snapshot(entry, uuid), cookie));
                case DELETE -> sink.accept(new SyncMessage.Deleted(uuid, cookie));
                case PRESENT -> sink.accept(new SyncMessage.Present(List.of(uuid), cookie));
                default -> LOG.warn("entry {}: unknown sync state {}", entry.getDN(), state.getState());
            }
        } catch (LDAPException e) {
            LOG.warn("entry {}: undecodable sync state control: {}", entry.getDN(), e.getMessage());
        }
    }

    private void intermediate(IntermediateResponse response) {
        ContentSyncInfoIntermediateResponse info;
        try {
            info = ContentSyncInfoIntermediateResponse.decode(response);
        } catch (LDAPException e) {
            LOG.warn("ignoring intermediate response {}: {}", response.getOID(), e.getMessage());
            return;
        }
        byte[] cookie = bytes(info.getCookie());
        switch (info.getType()) {
            case NEW_COOKIE -> sink.accept(new SyncMessage.NewCookie(cookie));
            case REFRESH_DELETE -> sink.accept(new SyncMessage.PhaseEnd(false, info.refreshDone(), cookie));
            case REFRESH_PRESENT -> sink.accept(new SyncMessage.PhaseEnd(true, info.refreshDone(), cookie));
            case SYNC_ID_SET -> {
                List<String> uuids = info.getEntryUUIDs().stream().map(SyncSession::text).toList();
                sink.accept(info.refreshDeletes() ? new SyncMessage.DeletedSet(uuids, cookie)
                        : new SyncMessage.Present(uuids, cookie));
            }
            default -> LOG.warn("unknown sync info type {}", info.getType());
        }
    }

    @Override
    public void searchReferenceReturned(SearchResultReference reference) {
        LOG.debug("ignoring referral {}", (Object) reference.getReferralURLs());
    }

    @Override
    public void searchResultReceived(AsyncRequestID id, SearchResult result) {
        ResultCode code = result.getResultCode();
        String detail = code + (result.getDiagnosticMessage() == null ? "" : " (" + result.getDiagnosticMessage() + ")");
        SyncMessage.Outcome outcome;
        if (code == ResultCode.E_SYNC_REFRESH_REQUIRED) {
            outcome = SyncMessage.Outcome.REFRESH_REQUIRED;
        } else if (code == ResultCode.SUCCESS) {
            outcome = SyncMessage.Outcome.DONE;
        } else if (code == ResultCode.PROTOCOL_ERROR || code == ResultCode.UNWILLING_TO_PERFORM) {
            outcome = SyncMessage.Outcome.REJECTED;
        } else {
            outcome = SyncMessage.Outcome.UNAVAILABLE;
        }
        end(new SyncMessage.Ended(outcome, detail));
    }

    /** True once {@link #close()} was called: the search was ended on purpose and no {@link SyncMessage.Ended} follows. */
    public boolean isClosed() {
        return closed;
    }

    /** Called by the consumer when the connection died without a result. */
    public void markDisconnected() {
        end(new SyncMessage.Ended(SyncMessage.Outcome.UNAVAILABLE, "connection closed"));
    }

    private void end(SyncMessage.Ended ended) {
        if (this.ended.compareAndSet(false, true)) {
            sink.accept(ended);
        }
    }

    @Override
    public void close() {
        closed = true;
        ended.set(true);
        Directory.abandonAndClose(connection, request);
    }

    private static String text(UUID uuid) {
        return uuid.toString().toLowerCase(Locale.ROOT);
    }

    private static byte[] bytes(ASN1OctetString cookie) {
        return cookie == null ? null : cookie.getValue();
    }
}
