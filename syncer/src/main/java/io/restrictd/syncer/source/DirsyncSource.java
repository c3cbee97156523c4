package io.restrictd.syncer.source;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.DirsyncSession;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.mapping.EntrySnapshot;
import io.restrictd.syncer.state.ChangeSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Active Directory (and Samba) with DirSync, {@code ldap.mode: dirsync}. The DirSync cookie is the
 * position: it is committed in the same Kafka transaction as the events it covers, and a restart resumes from
 * the committed one. A session goes:
 * <ol>
 * <li>without a committed dirsync cookie (first start, another mode before, or a cookie the DC refused): a
 * DirSync pass from scratch for a cookie, then a full paged search with {@code ldap.filter}; its difference
 * from the published state and the cookie are committed together. Changes made in between come again in the
 * next pass, and re-reading them is harmless;</li>
 * <li>then every {@code ldap.pollInterval} a DirSync pass from the cookie over the whole naming context. Each
 * changed object is re-read by objectGUID with the filter, on the server, and within base and scope; what it
 * stands for now replaces what it stood for (nothing, if it no longer matches, left the base, or was
 * deleted). A group whose {@code member} changed has its members, nested ones included, re-evaluated, and with
 * them every entry now restricted (one removed from the group is no member any more). The result and the new
 * cookie are one transaction;</li>
 * <li>every {@code ldap.reconcileInterval}, a full search that commits exactly the difference, if any.</li>
 * </ol>
 */
final class DirsyncSource implements SyncSource {
    private static final Logger LOG = LoggerFactory.getLogger(DirsyncSource.class);
    static final String MODE = "dirsync";

    private final Directory directory;
    private final LdapSettings settings;
    private final EntryMapper mapper;
    private final SyncerStatus status;
    private final Clock clock;
    private final Duration interval;

    DirsyncSource(Directory directory, LdapSettings settings, EntryMapper mapper, SyncerStatus status, Clock clock,
            Duration interval) {
        this.directory = directory;
        this.settings = settings;
        this.mapper = mapper;
        this.status = status;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public void run(Committer committer, BooleanSupplier running, Consumer<AutoCloseable> sessions)
            throws InterruptedException {
        try (DirsyncSession session = DirsyncSession.open(directory, settings)) {
            sessions.accept(session);
            status.connected(true);
            byte[] cookie = MODE.equals(committer.position().mode()) ? committer.position().cookie() : null;
            if (cookie == null) {
                cookie = resync(session, committer);
            }
            ReconcileSchedule schedule = new ReconcileSchedule(settings.reconcileInterval());
            schedule.reconciled(clock.instant());
            status.phase("dirsync");
            while (running.getAsBoolean()) {
                try {
                    cookie = follow(session, committer, cookie);
                } catch (DirsyncSession.CookieRefusedException e) {
                    LOG.warn("{}: resynchronising in full (publishing only the difference)", e.getMessage());
                    cookie = resync(session, committer);
                }
                if (schedule.due(clock.instant())) {
                    reconcile(session, committer, cookie, true);
                    schedule.reconciled(clock.instant());
                }
                status.working();
                pause(running);
            }
        } finally {
            status.connected(false);
        }
    }

    /** 1. A cookie from scratch, then the full search; both committed in one transaction. */
    private byte[] resync(DirsyncSession session, Committer committer) {
        status.phase("refresh");
        byte[] cookie = session.changes(null).cookie();
        reconcile(session, committer, cookie, false);
        return cookie;
    }

    private void reconcile(DirsyncSession session, Committer committer, byte[] cookie, boolean periodic) {
        List<EntrySnapshot> all = session.searchAll();
        Map<String, Map<RestrictionKey, Restriction>> mapped = new HashMap<>();
        for (EntrySnapshot e : all) {
            mapped.put(e.uuid(), mapper.map(e));
        }
        ChangeSet changes = committer.state().planFull(mapped);
        status.metrics().entriesSeen.mark(all.size());
        status.metrics().refreshes.inc();
        if (!periodic || !changes.isEmpty()) {
            committer.commit(changes, cookie, MODE);
        }
        status.committed(committer.lastCommit());
        status.reconciled(clock.instant(), periodic ? changes.size() : 0);
        LOG.info("{} {} entries: {} puts, {} tombstones", periodic ? "reconciled" : "resynchronised", all.size(),
                changes.puts().size(), changes.tombstones().size());
    }

    /** 2. One pass from {@code cookie}; returns the cookie now committed. */
    private byte[] follow(DirsyncSession session, Committer committer, byte[] cookie) {
        DirsyncSession.Pass pass = session.changes(cookie);
        if (pass.changed().isEmpty()) {
            return cookie;
        }
        status.sawChange();
        Set<String> reread = new LinkedHashSet<>();
        Map<String, Map<RestrictionKey, Restriction>> pending = new HashMap<>();
        boolean groups = false;
        for (DirsyncSession.Changed c : pass.changed()) {
            if (c.deleted()) {
                pending.put(c.id(), Map.of());
                continue;
            }
            reread.add(c.id());
            if (c.group()) {
                groups = true;
                reread.addAll(session.members(c.dn()));
            }
        }
        if (groups) {
            reread.addAll(committer.state().uuids());
        }
        Map<String, EntrySnapshot> now = session.read(reread);
        for (String id : reread) {
            EntrySnapshot e = now.get(id);
            pending.put(id, e == null ? Map.of() : mapper.map(e));
        }
        ChangeSet changes = committer.state().plan(pending);
        committer.commit(changes, pass.cookie(), MODE);
        status.committed(committer.lastCommit());
        LOG.debug("DirSync: {} changed objects, {} re-read: {} puts, {} tombstones", pass.changed().size(),
                reread.size(), changes.puts().size(), changes.tombstones().size());
        return pass.cookie();
    }

    private void pause(BooleanSupplier running) throws InterruptedException {
        long deadline = System.nanoTime() + interval.toNanos();
        while (running.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }
}
