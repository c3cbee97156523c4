package io.restrictd.syncer.publish;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through Kafka's group coordinator. Every syncer with the same id joins the consumer group
 * {@code restrictd-syncer-<id>} subscribed to the single-partition leader topic; the member that holds
 * partition 0 is the leader. The sticky assignor keeps the partition where it is when a standby joins, so a
 * standby starting does not depose a working leader.
 *
 * <p>A dead leader stops heartbeating and the coordinator hands the partition to a standby after
 * {@code sessionTimeout} (a cleanly closed one leaves the group at once). Leadership is only a hint for who
 * should work: what keeps two leaders from both publishing is the transactional id, whose
 * {@code initTransactions} by the new leader fences the old producer.
 *
 * <p>Runs its own thread, which polls the group consumer so heartbeats flow whatever the sync thread does.
 * The listener is called on that thread; {@link #isLeader()} and {@link #awaitLeadership} from any thread.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /** Called on the election thread. */
    public interface Listener {
        /** This syncer became leader. */
        void elected();

        /**
         * This syncer is not leader: stop publishing now, another syncer may already be leader. Called at once
         * when leadership is lost, and again about every 200 ms while standing by (so work started in a race
         * with the loss is stopped too); must be cheap and idempotent.
         */
        void standby();
    }

    private final KafkaSettings kafka;
    private final String syncerId;
    private final Duration sessionTimeout;
    private final Listener listener;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean leader;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public LeaderElection(KafkaSettings kafka, String syncerId, Duration sessionTimeout, Listener listener) {
        this.kafka = kafka;
        this.syncerId = syncerId;
        this.sessionTimeout = sessionTimeout;
        this.listener = listener;
        this.thread = new Thread(this::loop, "syncer-election-" + syncerId);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean isLeader() {
        return leader;
    }

    /** Waits up to {@code limit} for leadership; returns whether this syncer is leader. */
    public boolean awaitLeadership(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (!leader && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return leader;
        }
    }

    private void loop() {
        while (running) {
            try {
                kafka.ensureTopics();
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties())) {
                    consumer = c;
                    c.subscribe(List.of(kafka.leaderTopic()), new Rebalance());
                    LOG.info("syncer {}: joined the election (group {}, session timeout {} ms)", syncerId,
                            groupId(), sessionTimeout.toMillis());
                    while (running) {
                        c.poll(Duration.ofMillis(200)); // nothing is ever written: this only keeps us in the group
                        if (!leader) {
                            listener.standby();
                        }
                    }
                } finally {
                    consumer = null;
                    setLeader(false);
                }
            } catch (WakeupException e) {
                // close()
            } catch (RuntimeException e) {
                // Anything, not only KafkaException: if this thread died the syncer would stand by forever.
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                LOG.warn("syncer {}: election: {}; rejoining in 1 s", syncerId, e.toString());
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    private void setLeader(boolean now) {
        boolean was;
        synchronized (lock) {
            was = leader;
            leader = now;
            lock.notifyAll();
        }
        if (was == now) {
            return;
        }
        LOG.info("syncer {}: {}", syncerId, now ? "elected leader" : "no longer leader");
        try {
            if (now) {
                listener.elected();
            } else {
                listener.standby();
            }
        } catch (RuntimeException e) {
            LOG.warn("syncer {}: leadership listener failed: {}", syncerId, e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                setLeader(true);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                setLeader(false);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            setLeader(false);
        }
    }

    private String groupId() {
        return "restrictd-syncer-" + syncerId;
    }

    private Properties properties() {
        Properties p = kafka.properties("syncer-election");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"); // session.timeout.ms is a client setting there
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(100, sessionTimeout.toMillis() / 4)));
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Leaves the group (a standby takes over at once) and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.join(30_000);
    }
}
