package io.restrictd.syncer.ldap;

import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.List;

/**
 * One message of an RFC 4533 content synchronisation, in order, free of any LDAP library type.
 * A {@code cookie} is null when the message carried none.
 */
public sealed interface SyncMessage {
    /** The cookie this message carries, or null. */
    byte[] cookie();

    /** An entry added or modified (state add or modify): its full current content. */
    record Changed(EntrySnapshot entry, byte[] cookie) implements SyncMessage {
    }

    /** An entry deleted or no longer matching the filter (state delete): only its entryUUID is known. */
    record Deleted(String uuid, byte[] cookie) implements SyncMessage {
    }

    /** An entry unchanged and still present (state present, or one UUID of a syncIdSet with refreshDeletes false). */
    record Present(List<String> uuids, byte[] cookie) implements SyncMessage {
    }

    /** A syncIdSet with refreshDeletes true: these entries are gone. */
    record DeletedSet(List<String> uuids, byte[] cookie) implements SyncMessage {
    }

    /** A newcookie info message. */
    record NewCookie(byte[] cookie) implements SyncMessage {
    }

    /**
     * A refreshDelete or refreshPresent info message: the end of a delete or present phase.
     *
     * @param presentPhase true for refreshPresent: entries not named present since the phase began are gone
     * @param refreshDone  true if the refresh stage is over (persist follows)
     */
    record PhaseEnd(boolean presentPhase, boolean refreshDone, byte[] cookie) implements SyncMessage {
    }

    /**
     * The search ended (never, in a healthy persist stage).
     *
     * @param outcome why
     * @param detail  the server's result code and message, for the log
     */
    record Ended(Outcome outcome, String detail) implements SyncMessage {
        @Override
        public byte[] cookie() {
            return null;
        }
    }

    /** How a sync search ended. */
    enum Outcome {
        /** e-syncRefreshRequired (4096): the cookie is no use; reload everything. */
        REFRESH_REQUIRED,
        /** Connection lost, server down, timeout: reconnect and resume. */
        UNAVAILABLE,
        /** The server refused the request (bad cookie, protocol error): retry without the cookie. */
        REJECTED,
        /** The server ended the search normally (refreshOnly, or a server shutting down cleanly). */
        DONE
    }
}
