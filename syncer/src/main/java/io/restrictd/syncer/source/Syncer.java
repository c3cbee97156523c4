package io.restrictd.syncer.source;

import io.restrictd.schema.EventCodec;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.ldap.LdapFatalException;
import io.restrictd.syncer.ldap.LdapUnavailableException;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.publish.LeaderElection;
import io.restrictd.syncer.publish.SyncPublisher;
import io.restrictd.syncer.publish.TopicReader;
import io.restrictd.syncer.publish.Topics;
import io.restrictd.syncer.state.PublishedState;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator: stands by until elected ({@link LeaderElection}); then makes sure the topics exist, fences
 * earlier incarnations and reads the committed state and position, and runs the configured mode until it
 * loses the election or is closed. LDAP network errors back off and resume from the committed
 * position; Kafka errors close the producer, back off, and re-read the committed state (the outcome of a
 * failed commit is unknown) before going on. Only configuration and credential errors end {@link #run()}.
 */
public final class Syncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Syncer.class);

    private final SyncerSettings settings;
    private final EntryMapper mapper;
    private final Directory directory;
    private final SyncPublisher publisher;
    private final TopicReader reader;
    private final Clock clock;
    private final SyncerStatus status;
    /** Created by {@link #run()}; null before. */
    private volatile LeaderElection election;
    private final Object wake = new Object();
    /**
     * What the sources' loops check: false once closed, and also while deposed, so that any source ends its
     * session when leadership is lost; {@link #run()} sets it again (unless closed) before standing by.
     */
    private volatile boolean running = true;
    private volatile boolean closed;
    private volatile AutoCloseable openSession;
    private Committer committer;

    public Syncer(SyncerSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        EventCodec codec = new EventCodec();
        this.mapper = new EntryMapper(settings.mapping(), clock);
        this.directory = new Directory(settings.ldap());
        this.publisher = new SyncPublisher(settings.kafka(), settings.id(), codec, clock);
        this.reader = new TopicReader(settings.kafka(), codec);
        this.status = new SyncerStatus(clock);
    }

    public SyncerStatus status() {
        return status;
    }

    /** Values skipped by the mapping since start. */
    public long skipped() {
        return mapper.skipped();
    }

    public SyncPublisher publisher() {
        return publisher;
    }

    /**
     * Runs until {@link #close()} is called.
     *
     * @throws LdapFatalException if the directory refuses the configuration or the credentials
     */
    public void run() throws InterruptedException {
        Backoff backoff = new Backoff(settings.retryMin(), settings.retryMax());
        SyncreplSource syncrepl = new SyncreplSource(directory, mapper, status);
        PollSource poll = new PollSource(directory, mapper, status);
        PsearchSource psearch = new PsearchSource(directory, settings.ldap(), mapper, status, clock);
        SyncSource dirsync = new DirsyncSource(directory, settings.ldap(), mapper, status, clock,
                settings.pollInterval());
        election = startElection();
        try {
            while (!closed) {
                resume();
                if (!awaitLeadership()) {
                    continue;
                }
                try {
                    if (committer == null) {
                        committer = load();
                    }
                    if (settings.mode() == SyncerSettings.Mode.POLL) {
                        status.phase("poll");
                        poll.pollOnce(committer);
                        status.committed(committer.lastCommit());
                        backoff.reset();
                        sleep(settings.pollInterval());
                    } else if (settings.mode() == SyncerSettings.Mode.DIRSYNC) {
                        dirsync.run(committer, () -> running, s -> openSession = s);
                        backoff.reset();
                    } else if (settings.mode() == SyncerSettings.Mode.PSEARCH) {
                        psearch.run(committer, () -> running, s -> openSession = s);
                        backoff.reset();
                    } else {
                        syncrepl.run(committer, () -> running, s -> openSession = s);
                        backoff.reset();
                    }
                } catch (LdapUnavailableException e) {
                    retryLater(backoff, "directory unavailable: " + e.getMessage());
                } catch (KafkaException e) {
                    // Unknown outcome: the producer is closed; re-read what is committed before going on.
                    publisher.close();
                    committer = null;
                    retryLater(backoff, "Kafka: " + e);
                }
            }
        } finally {
            status.phase("stopped");
            publisher.close();
            election.close();
        }
    }

    private LeaderElection startElection() {
        status.metrics().registry().gauge("syncer.skipped_values", () -> mapper::skipped);
        LeaderElection e = new LeaderElection(settings.kafka(), settings.id(), settings.failover(),
                new LeaderElection.Listener() {
                    @Override
                    public void elected() {
                        wake();
                    }

                    @Override
                    public void standby() {
                        stopPublishing();
                    }
                });
        e.start();
        return e;
    }

    /**
     * True if this syncer is leader. Otherwise it stands by: a deposed leader first drops its producer and its
     * committed view (the next leader, maybe this one again, re-reads what is committed after fencing), then
     * this waits up to a second for the election.
     */
    private boolean awaitLeadership() throws InterruptedException {
        if (election.isLeader()) {
            if (!status.leader()) {
                LOG.info("syncer {}: leader; fencing earlier producers and reading the committed state", settings.id());
                status.leader(true);
            }
            return true;
        }
        if (status.leader() || committer != null) {
            LOG.info("syncer {}: standing by", settings.id());
            publisher.close();
            committer = null;
        }
        status.leader(false);
        status.connected(false);
        status.phase("standby");
        election.awaitLeadership(Duration.ofSeconds(1));
        return false;
    }

    private synchronized void resume() {
        running = !closed;
    }

    /** On the election thread, when not leader: ends the directory session so that nothing more is published. */
    private void stopPublishing() {
        synchronized (this) {
            running = false;
        }
        AutoCloseable s = openSession;
        if (s != null) {
            openSession = null;
            closeQuietly(s);
        }
        if (status.leader()) {
            wake();
        }
    }

    private void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private static void closeQuietly(AutoCloseable s) {
        try {
            s.close();
        } catch (Exception e) {
            LOG.debug("closing the sync session: {}", e.toString());
        }
    }

    private Committer load() throws InterruptedException {
        try {
            Topics.ensure(settings.kafka());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KafkaException("checking topics: " + e.getMessage(), e);
        }
        // Fence first: initTransactions aborts what an earlier incarnation left open, so what we read
        // next is all that will ever be committed before our own transactions.
        publisher.open();
        PublishedState state = PublishedState.fromPublished(reader.restrictions(settings.mapping().source()));
        var position = reader.position(settings.id());
        LOG.info("syncer {}: {} restrictions published by source {}; position {}", settings.id(),
                state.publishedCount(), settings.mapping().source(), position);
        return new Committer(state, position, publisher, clock, status);
    }

    private void retryLater(Backoff backoff, String why) throws InterruptedException {
        if (!running || closed) {
            return;
        }
        status.failed(why);
        status.phase("backoff");
        Duration delay = backoff.next();
        LOG.warn("{}; retrying in {} ms", why, delay.toMillis());
        sleep(delay);
    }

    /** Sleeps {@code d}, or less if stopped, deposed or elected meanwhile. */
    private void sleep(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (wake) {
            long left;
            while (running && !closed && election.isLeader() == status.leader()
                    && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(wake, left);
            }
        }
    }

    /** Stops {@link #run()} (from any thread); the current session is closed, nothing half-done is committed. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            running = false;
        }
        wake();
        AutoCloseable s = openSession;
        if (s != null) {
            closeQuietly(s);
        }
    }
}
