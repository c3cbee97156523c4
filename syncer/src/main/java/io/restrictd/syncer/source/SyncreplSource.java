package io.restrictd.syncer.source;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.ldap.LdapUnavailableException;
import io.restrictd.syncer.ldap.SyncMessage;
import io.restrictd.syncer.ldap.SyncSession;
import io.restrictd.syncer.mapping.EntryMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the directory with RFC 4533 refreshAndPersist. The refresh stage is collected and committed as
 * one transaction at refreshDone, with the cookie the server sent last; in the persist stage each burst of
 * messages is one transaction. Nothing is committed from a session that ended mid-refresh, so the next one
 * resumes from the last committed cookie.
 *
 * <p>A present phase (a start without a cookie, a syncIdSet with refreshDeletes false, or refreshPresent)
 * lifts every entry not named present or changed during it.
 */
final class SyncreplSource implements SyncSource {
    private static final Logger LOG = LoggerFactory.getLogger(SyncreplSource.class);
    static final String MODE = "syncrepl";

    private final Directory directory;
    private final EntryMapper mapper;
    private final SyncerStatus status;
    /** Set when the server said the cookie is no use: the next session starts from scratch. */
    private boolean dropCookie;

    SyncreplSource(Directory directory, EntryMapper mapper, SyncerStatus status) {
        this.directory = directory;
        this.mapper = mapper;
        this.status = status;
    }

    /**
     * Runs one session until it ends or {@code running} turns false.
     *
     * @throws LdapUnavailableException when the connection is lost; the caller backs off and calls again
     */
    @Override
    public void run(Committer committer, BooleanSupplier running, java.util.function.Consumer<AutoCloseable> onOpen)
            throws InterruptedException {
        byte[] cookie = dropCookie ? null : committer.position().cookie();
        BlockingQueue<SyncMessage> queue = new LinkedBlockingQueue<>();
        LOG.info("content sync from {}", cookie == null ? "scratch (full refresh)"
                : "cookie " + committer.position().cookieText());
        try (SyncSession session = directory.startSync(cookie, queue::add)) {
            onOpen.accept(session);
            status.connected(true);
            status.phase("refresh");
            Session s = new Session(committer, cookie);
            while (running.getAsBoolean() && !session.isClosed()) {
                SyncMessage m = queue.poll(500, TimeUnit.MILLISECONDS);
                if (m == null) {
                    if (!session.isConnected()) {
                        session.markDisconnected();
                    }
                    continue;
                }
                if (m instanceof SyncMessage.Ended ended) {
                    handleEnd(ended, cookie);
                    return;
                }
                s.accept(m);
                if (!s.refreshing && queue.isEmpty()) {
                    s.flush();
                }
            }
        } finally {
            status.connected(false);
        }
    }

    private void handleEnd(SyncMessage.Ended ended, byte[] cookie) {
        switch (ended.outcome()) {
            case REFRESH_REQUIRED -> {
                LOG.warn("server requires a full refresh ({}): dropping the cookie", ended.detail());
                dropCookie = true;
            }
            case REJECTED -> {
                if (cookie == null) {
                    throw new LdapUnavailableException("content sync refused: " + ended.detail(), null);
                }
                LOG.warn("content sync with cookie refused ({}): retrying with a full refresh", ended.detail());
                dropCookie = true;
            }
            case UNAVAILABLE -> throw new LdapUnavailableException("content sync ended: " + ended.detail(), null);
            case DONE -> LOG.info("server ended the content sync: {}", ended.detail());
            default -> throw new IllegalStateException(ended.outcome().name());
        }
    }

    /** The messages of one search, and what they add up to so far. */
    private final class Session {
        private final Committer committer;
        private final Map<String, Map<RestrictionKey, Restriction>> pending = new HashMap<>();
        private final Set<String> seen = new HashSet<>();
        /** Modification times of the live (persist stage) changes pending, for the propagation delay. */
        private final List<Instant> changedAt = new ArrayList<>();
        private boolean presentPhase;
        private boolean refreshing = true;
        private byte[] cookie;

        Session(Committer committer, byte[] cookie) {
            this.committer = committer;
            this.cookie = cookie;
            this.presentPhase = cookie == null; // from scratch: whatever is not sent is gone
        }

        void accept(SyncMessage m) {
            if (m.cookie() != null) {
                cookie = m.cookie();
            }
            status.sawChange();
            if (m instanceof SyncMessage.Changed c) {
                status.metrics().entriesSeen.mark();
                pending.put(c.entry().uuid(), mapper.map(c.entry()));
                seen.add(c.entry().uuid());
                Instant at = refreshing ? null : c.entry().modifiedAt();
                if (at != null) {
                    changedAt.add(at);
                }
            } else if (m instanceof SyncMessage.Deleted d) {
                pending.put(d.uuid(), Map.of());
            } else if (m instanceof SyncMessage.DeletedSet d) {
                d.uuids().forEach(u -> pending.put(u, Map.of()));
            } else if (m instanceof SyncMessage.Present p) {
                presentPhase = true;
                seen.addAll(p.uuids());
            } else if (m instanceof SyncMessage.PhaseEnd e) {
                endPhase(e);
            }
            // NewCookie: only the cookie moves.
        }

        private void endPhase(SyncMessage.PhaseEnd e) {
            if (e.presentPhase() || presentPhase) {
                Set<String> known = new HashSet<>(committer.state().uuids());
                known.addAll(pending.keySet());
                int lifted = 0;
                for (String uuid : known) {
                    if (!seen.contains(uuid) && !Map.of().equals(pending.get(uuid))) {
                        pending.put(uuid, Map.of());
                        lifted++;
                    }
                }
                LOG.info("present phase ended: {} entries present, {} gone", seen.size(), lifted);
                presentPhase = false;
                seen.clear();
            }
            if (e.refreshDone() && refreshing) {
                refreshing = false;
                flush();
                status.metrics().refreshes.inc();
                status.working();
                status.phase("persist");
                LOG.info("refresh done; persisting ({} restrictions published)", committer.state().publishedCount());
            }
        }

        /** Commits what has accumulated, if anything changed. */
        void flush() {
            var changes = committer.state().plan(pending);
            boolean moved = !Arrays.equals(cookie, committer.position().cookie());
            if (!changes.isEmpty() || moved || !MODE.equals(committer.position().mode())) {
                committer.commit(changes, cookie, MODE, List.copyOf(changedAt));
                dropCookie = false;
                if (!changes.isEmpty()) {
                    LOG.debug("committed {} puts, {} tombstones", changes.puts().size(), changes.tombstones().size());
                }
            }
            pending.clear();
            changedAt.clear();
        }
    }
}
