package io.restrictd.syncer.source;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.ldap.LdapUnavailableException;
import io.restrictd.syncer.ldap.PsearchMessage;
import io.restrictd.syncer.ldap.PsearchSession;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the directory with a persistent search (389-DS and others). A persistent search cannot resume, so
 * every session, first connect and reconnect alike, goes:
 * <ol>
 * <li>start the persistent search, so every change from now on is buffered and none falls in a gap;</li>
 * <li>a full reconciliation search on the same connection; its difference from the published state
 * ({@code planFull}) and a reconciliation marker are committed in one transaction;</li>
 * <li>then the buffered and later notifications, each burst one transaction.</li>
 * </ol>
 * A notification only says which entry changed: the entry is re-read with the filter, and whatever it now
 * stands for (nothing, if it no longer matches, left the base or is gone) replaces what it stood for.
 * Entries are identified by entryUUID, or nsUniqueId where the server has no entryUUID; a DN → id index
 * kept from the reconciliation and the re-reads covers notifications that carry neither.
 */
final class PsearchSource {
    private static final Logger LOG = LoggerFactory.getLogger(PsearchSource.class);
    static final String MODE = "psearch";

    private final Directory directory;
    private final LdapSettings settings;
    private final EntryMapper mapper;
    private final SyncerStatus status;

    PsearchSource(Directory directory, LdapSettings settings, EntryMapper mapper, SyncerStatus status) {
        this.directory = directory;
        this.settings = settings;
        this.mapper = mapper;
        this.status = status;
    }

    /**
     * Runs one session until the search ends or {@code running} turns false.
     *
     * @throws LdapUnavailableException when the connection is lost; the caller backs off and calls again
     */
    void run(Committer committer, BooleanSupplier running, Consumer<AutoCloseable> onOpen)
            throws InterruptedException {
        BlockingQueue<PsearchMessage> queue = new LinkedBlockingQueue<>();
        // 1. The persistent search first: whatever changes from here on is in the queue.
        try (PsearchSession session = PsearchSession.start(directory, settings, queue::add)) {
            onOpen.accept(session);
            status.connected(true);
            status.phase("refresh");
            Map<String, String> idsByDn = reconcile(session, committer);
            status.phase("persist");
            Map<String, Map<RestrictionKey, Restriction>> pending = new HashMap<>();
            while (running.getAsBoolean()) {
                PsearchMessage m = queue.poll(500, TimeUnit.MILLISECONDS);
                if (m == null) {
                    if (!session.isConnected()) {
                        session.markDisconnected();
                    }
                    continue;
                }
                if (m instanceof PsearchMessage.Ended ended) {
                    flush(committer, pending);
                    throw new LdapUnavailableException("persistent search ended: " + ended.detail(), null);
                }
                status.sawChange();
                apply((PsearchMessage.Changed) m, session, idsByDn, pending);
                if (queue.isEmpty()) {
                    flush(committer, pending);
                }
            }
        } finally {
            status.connected(false);
        }
    }

    /** 2. The full search; commits the difference and the marker. Returns the DN → id index. */
    private Map<String, String> reconcile(PsearchSession session, Committer committer) {
        Map<String, Map<RestrictionKey, Restriction>> all = new HashMap<>();
        Map<String, String> idsByDn = new HashMap<>();
        for (EntrySnapshot e : session.searchAll()) {
            all.put(e.uuid(), mapper.map(e));
            idsByDn.put(normalized(e.dn()), e.uuid());
        }
        var changes = committer.state().planFull(all);
        // The marker is committed even when nothing changed: it records when the directory was last reconciled.
        committer.commit(changes, null, MODE);
        status.committed(committer.lastCommit());
        LOG.info("reconciled {} entries: {} puts, {} tombstones; following changes", all.size(),
                changes.puts().size(), changes.tombstones().size());
        return idsByDn;
    }

    /** 3. One notification: what the entry stands for now replaces what it stood for. */
    private void apply(PsearchMessage.Changed c, PsearchSession session, Map<String, String> idsByDn,
            Map<String, Map<RestrictionKey, Restriction>> pending) {
        String known = c.previousDn() != null ? idsByDn.remove(c.previousDn()) : null;
        if (c.change() == PsearchMessage.Change.DELETE || !c.inScope()) {
            String id = firstNonNull(c.id(), known, idsByDn.remove(c.dn()));
            if (id != null) {
                pending.put(id, Map.of()); // an unknown id plans to nothing
            }
            return;
        }
        Optional<EntrySnapshot> now = session.read(c.dn());
        if (now.isPresent()) {
            EntrySnapshot e = now.get();
            String old = idsByDn.put(c.dn(), e.uuid());
            if (old != null && !old.equals(e.uuid())) {
                pending.put(old, Map.of()); // a new entry under an old entry's DN: the old one is gone
            }
            pending.put(e.uuid(), mapper.map(e));
        } else {
            // Deleted since, or no longer matching the filter: lifted.
            String id = firstNonNull(c.id(), known, idsByDn.remove(c.dn()));
            if (id != null) {
                pending.put(id, Map.of());
            }
        }
    }

    private void flush(Committer committer, Map<String, Map<RestrictionKey, Restriction>> pending) {
        if (pending.isEmpty()) {
            return;
        }
        var changes = committer.state().plan(pending);
        if (!changes.isEmpty()) {
            committer.commit(changes, null, MODE);
            status.committed(committer.lastCommit());
            LOG.debug("committed {} puts, {} tombstones", changes.puts().size(), changes.tombstones().size());
        }
        pending.clear();
    }

    private static String normalized(String dn) {
        return PsearchSession.normalize(dn);
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
