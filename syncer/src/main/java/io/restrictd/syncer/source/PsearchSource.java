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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * <li>then the buffered and later notifications, each burst one transaction;</li>
 * <li>and, while the search stays open, a full reconciliation again every {@code ldap.reconcileInterval}
 * (the first one early: see {@link ReconcileSchedule}), which commits exactly the difference from the
 * published state, and nothing at all (no marker either) when there is none.</li>
 * </ol>
 * A notification only says which entry changed: the entry is re-read with the filter, and whatever it now
 * stands for (nothing, if it no longer matches, left the base or is gone) replaces what it stood for.
 * Entries are identified as in every mode ({@link io.restrictd.syncer.ldap.EntryIds}); a DN → id index
 * kept from the reconciliation and the re-reads covers notifications that carry neither.
 *
 * <p>Why periodic reconciliations: the server registers the persistent search a few milliseconds after it was
 * sent, and a change in that window that the connect-time search also missed would otherwise stay wrong until
 * the next reconnect; so would a change the server never notifies (a Class of Service template changing what
 * entries match, a server bug). A periodic reconciliation that finds a difference no pending notification
 * explains logs it (WARN, with the DNs) and counts it ({@code syncer.reconcile_differences}). Residual window:
 * such a change is published at the latest one interval (the first time: {@link ReconcileSchedule#FOLLOW_UP})
 * after it was made.
 *
 * <p>Ordering: a periodic reconciliation first applies and commits every notification already queued, then
 * searches; the notifications that arrive during the search stay queued and are applied after its commit, in
 * the server's order. Each of them re-reads its entry, so it brings the entry to a state at least as new as
 * the search saw: nothing goes backwards, nothing queued is lost. One that names an entry the reconciliation
 * found different explains the difference (the change was in flight, not missed).
 */
final class PsearchSource implements SyncSource {
    private static final Logger LOG = LoggerFactory.getLogger(PsearchSource.class);
    static final String MODE = "psearch";
    /** How long the session waits for a notification before it checks the connection (and the schedule). */
    private static final Duration IDLE_CHECK = Duration.ofMillis(500);
    /** DNs named in the WARN about missed changes, at most. */
    private static final int LOGGED_DNS = 20;

    private final Directory directory;
    private final LdapSettings settings;
    private final EntryMapper mapper;
    private final SyncerStatus status;
    private final Clock clock;

    PsearchSource(Directory directory, LdapSettings settings, EntryMapper mapper, SyncerStatus status, Clock clock) {
        this.directory = directory;
        this.settings = settings;
        this.mapper = mapper;
        this.status = status;
        this.clock = clock;
    }

    /**
     * Runs one session until the search ends or {@code running} turns false.
     *
     * @throws LdapUnavailableException when the connection is lost; the caller backs off and calls again
     */
    @Override
    public void run(Committer committer, BooleanSupplier running, Consumer<AutoCloseable> onOpen)
            throws InterruptedException {
        BlockingQueue<PsearchMessage> queue = new LinkedBlockingQueue<>();
        // 1. The persistent search first: whatever changes from here on is in the queue.
        try (PsearchSession session = PsearchSession.start(directory, settings, queue::add)) {
            onOpen.accept(session);
            status.connected(true);
            status.phase("refresh");
            Map<String, String> idsByDn = reconcile(session, committer, queue, false);
            ReconcileSchedule schedule = new ReconcileSchedule(settings.reconcileInterval());
            schedule.connected(clock.instant());
            status.phase("persist");
            Map<String, Map<RestrictionKey, Restriction>> pending = new HashMap<>();
            while (running.getAsBoolean()) {
                if (schedule.due(clock.instant())) {
                    // 4. Everything queued so far first, so the search is newer than all that is applied.
                    List<PsearchMessage> queued = new ArrayList<>();
                    queue.drainTo(queued);
                    for (PsearchMessage m : queued) {
                        handle(m, session, idsByDn, committer, pending);
                    }
                    flush(committer, pending);
                    idsByDn = reconcile(session, committer, queue, true);
                    schedule.reconciled(clock.instant());
                    continue;
                }
                long waitMs = Math.max(1, schedule.untilDue(clock.instant(), IDLE_CHECK).toMillis());
                PsearchMessage m = queue.poll(waitMs, TimeUnit.MILLISECONDS);
                if (m == null) {
                    if (!session.isConnected()) {
                        session.markDisconnected();
                    }
                    continue;
                }
                handle(m, session, idsByDn, committer, pending);
                if (queue.isEmpty()) {
                    flush(committer, pending);
                }
            }
        } finally {
            status.connected(false);
        }
    }

    private void handle(PsearchMessage m, PsearchSession session, Map<String, String> idsByDn, Committer committer,
            Map<String, Map<RestrictionKey, Restriction>> pending) {
        if (m instanceof PsearchMessage.Ended ended) {
            flush(committer, pending);
            throw new LdapUnavailableException("persistent search ended: " + ended.detail(), null);
        }
        status.sawChange();
        apply((PsearchMessage.Changed) m, session, idsByDn, pending);
    }

    /**
     * 2. and 4. The full search; commits the difference, and at connect the marker too. Returns the new
     * DN → id index.
     *
     * @param periodic false at connect: the marker is committed even when nothing changed, as it records that
     *                 this session reconciled; true later: nothing is committed unless something differs
     */
    private Map<String, String> reconcile(PsearchSession session, Committer committer,
            BlockingQueue<PsearchMessage> queue, boolean periodic) {
        List<EntrySnapshot> searched = session.searchAll();
        // Received during the search (and applied after it): they explain differences on the entries they name.
        List<PsearchMessage> inFlight = List.copyOf(queue);
        Reconciliation r = Reconciliation.plan(committer.state(), mapper, searched, inFlight, clock.instant());
        var changes = r.changes();
        if (r.commits(!periodic)) {
            committer.commit(changes, null, MODE);
        }
        status.committed(committer.lastCommit());
        status.metrics().entriesSeen.mark(r.entries());
        status.reconciled(clock.instant(), periodic ? r.unexplained().size() : 0);
        if (periodic && !r.unexplained().isEmpty()) {
            LOG.warn("periodic reconciliation repaired entries no notification had told of (missed by the "
                    + "persistent search, or changed as the search ended): {} entries: {}",
                    r.unexplained().size(), dns(r.unexplained()));
        }
        if (periodic) {
            LOG.debug("periodic reconciliation of {} entries: {} puts, {} tombstones", r.entries(),
                    changes.puts().size(), changes.tombstones().size());
        } else {
            LOG.info("reconciled {} entries: {} puts, {} tombstones; following changes", r.entries(),
                    changes.puts().size(), changes.tombstones().size());
        }
        return new HashMap<>(r.idsByDn());
    }

    private static String dns(Map<String, String> unexplained) {
        List<String> dns = unexplained.values().stream().limit(LOGGED_DNS).toList();
        int more = unexplained.size() - dns.size();
        return String.join("; ", dns) + (more > 0 ? " and " + more + " more" : "");
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

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
