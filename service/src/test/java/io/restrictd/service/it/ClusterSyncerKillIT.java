package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restrictd.service.syncer.BulkDirectory;
import io.restrictd.service.syncer.CommittedView;
import io.restrictd.service.syncer.SyncerProcess;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaCluster;
import io.restrictd.testkit.Slapd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real syncer following a real slapd into the 3-broker KRaft cluster while a stream of directory changes
 * (accounts restricted and lifted, one LDAP operation each) runs, and brokers are killed with kill -9 in the
 * middle of it: the syncer's transaction coordinator, then the leader of a restrictions partition, then the
 * coordinator again, each restarted on its data after a while. Then:
 * <ul>
 *   <li>nothing lost: the committed (read_committed) topic holds exactly what the directory says;</li>
 *   <li>nothing twice: see {@link #assertNothingTwice};</li>
 *   <li>the committed sync position is the directory's: its cookie carries slapd's contextCSN, and every
 *       committed change has its audit event (one transaction holds both, and the position);</li>
 *   <li>a lookup node reading the topic answers what the directory says, and while it was asked during the
 *       kills no answer was wrong ({@link AnswerWatch#notInCommittedOrder});</li>
 *   <li>every restarted broker rejoined the in-sync replicas.</li>
 * </ul>
 */
class ClusterSyncerKillIT {
    /** Restricted accounts b0..b(N-1); the bulk directory adds N/10 unrestricted ones, f(N)..f(N+N/10-1). */
    static final int ACCOUNTS = 2000;
    /** The stream toggles b0..b(T-1) and f(N)..f(N+T-1); every other account must be published exactly once. */
    static final int TOGGLED = 150;
    static final String PREFIX = "it.synckill";
    static final String TOPIC = PREFIX + ".restrictions";
    static final String SYNCER_ID = "synckill";
    static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static final KafkaCluster CLUSTER = new KafkaCluster();
    @RegisterExtension
    static final Slapd SLAPD = new Slapd(BulkDirectory.ldif("synckill", ACCOUNTS));

    @TempDir
    static Path dir;

    @Test
    void shouldLoseAndDuplicateNothingWhenBrokersAreKilledDuringSyncerTransactions() throws Exception {
        List<String> toggled = new ArrayList<>();
        for (int i = 0; i < TOGGLED; i++) {
            toggled.add("b" + i);
            toggled.add("f" + (ACCOUNTS + i));
        }
        ChangeStream stream = new ChangeStream(toggled);
        try (SyncerProcess syncer = new SyncerProcess(SYNCER_ID, dir, SYNCER_ID, CLUSTER.bootstrapServers(),
                SLAPD.url(), SLAPD.rootPassword(), PREFIX);
                ClusterAdmin cluster = new ClusterAdmin(CLUSTER)) {
            syncer.start();
            Set<String> initial = BulkDirectory.expectedKeys(SLAPD);
            Eventually.within(WAIT, syncer::logContext, () -> assertThat(syncer.health().phase()).isEqualTo("persist"));
            Eventually.within(WAIT, syncer::logContext, () -> assertThat(committed().values().keySet())
                    .isEqualTo(initial));
            NodeProcess node = NodeProcess.builder("synckill", Files.createDirectories(dir.resolve("node")),
                    CLUSTER.bootstrapServers()).topic(TOPIC).override("kafka.auditTopic=" + PREFIX + ".audit")
                    .requestTimeout("10s").override("kafka.requestTimeout=60s").build().start();
            AnswerWatch watch = null;
            try {
                Eventually.await("the node holds the initial load", WAIT, node::status, s -> Boolean.TRUE.equals(
                        s.get("ready")) && restrictions(s) == initial.size());
                String action = node.postmap("b" + (ACCOUNTS - 1) + "@example.org").value();
                // A fifth of the toggled keys: each is asked many times during the kills (a postmap takes a while).
                watch = new AnswerWatch(node, toggled.subList(0, toggled.size() / 5).stream()
                        .map(uid -> uid + "@example.org").toList());
                Thread streaming = new Thread(stream, "ldap-changes");
                streaming.start();
                List<String> kills = killDuringTheStream(cluster);
                stream.stop();
                streaming.join();
                assertThat(stream.failure()).as("the directory took every change").isNull();
                String log = syncer.logText();
                System.out.printf("ClusterSyncerKillIT: %d directory changes; kills: %s; the syncer saw %d failed"
                        + " transactions and retried %d times%n", stream.total(), kills,
                        log.lines().filter(l -> l.contains("publishing") && l.contains("failed")).count(),
                        log.lines().filter(l -> l.contains("retrying in")).count());

                Set<String> expected = BulkDirectory.expectedKeys(SLAPD);
                Eventually.within(WAIT, syncer::logContext, () -> assertThat(committed().values().keySet())
                        .as("nothing lost: the committed topic is the directory").isEqualTo(expected));
                CommittedView topic = committed();
                assertNothingTwice(topic, stream, toggled);
                assertThat(CommittedView.read(CLUSTER.bootstrapServers(), PREFIX + ".audit").records())
                        .as("each committed change with its audit event, in the same transactions")
                        .isEqualTo(topic.records());
                assertPositionIsTheDirectorys();

                Eventually.await("the node holds the directory's restrictions", WAIT, node::status,
                        s -> restrictions(s) == expected.size());
                watch.close();
                System.out.printf("ClusterSyncerKillIT: %d lookups during the kills%n", watch.lookups());
                assertThat(watch.notInCommittedOrder(answersOf(topic, toggled, action)))
                        .as("answers out of the committed order, or failed lookups, while brokers were killed")
                        .isEmpty();
                for (String uid : toggled) {
                    CommandResult r = node.postmap(uid + "@example.org");
                    if (stream.restricted(uid)) {
                        assertThat(r.value()).as(uid).isEqualTo(action);
                    } else {
                        assertThat(r.exitCode()).as(uid + " lifted: %s", r).isEqualTo(1);
                    }
                }
                Eventually.within(WAIT, syncer::logContext, () -> assertThat(syncer.health().status()).isEqualTo(200));
                assertThat(cluster.outOfSync(List.of(TOPIC, PREFIX + ".audit", PREFIX + ".state",
                        "__transaction_state"))).as("restarted brokers rejoined the ISR").isEmpty();
            } finally {
                if (watch != null) {
                    watch.close();
                }
                stream.stop();
                node.stop();
            }
        }
    }

    /**
     * Kills the transaction coordinator, a partition leader, then the coordinator again, one at a time, each a few
     * seconds into a stretch of the stream; waits for every replica to be back in sync before the next. The first
     * two stay down longer than the brokers' session timeout (15 s), so that the controller moves their
     * leaderships and the coordinator to the others mid-stream; the last comes back before that. Returns what was
     * killed.
     */
    private static List<String> killDuringTheStream(ClusterAdmin cluster) throws Exception {
        List<String> kills = new ArrayList<>();
        List<String> topics = List.of(TOPIC, PREFIX + ".state", "__transaction_state");
        for (int round = 0; round < 3; round++) {
            Thread.sleep(4000); // transactions flow again
            int victim = round == 1 ? cluster.leaderOf(TOPIC, 0)
                    : cluster.coordinatorOf("restrictd-syncer-" + SYNCER_ID);
            CLUSTER.kill(victim);
            kills.add((round == 1 ? "leader of " + TOPIC + "-0" : "transaction coordinator") + ": broker " + victim);
            Thread.sleep(round < 2 ? 20_000 : 6_000); // transactions in flight fail; the syncer retries
            CLUSTER.start(victim);
            Eventually.await("broker " + victim + " back in the ISR", WAIT, 1000, () -> cluster.outOfSync(topics),
                    List::isEmpty);
        }
        return kills;
    }

    /**
     * "Twice" given reconciliation: the syncer publishes a key's state only when it differs from the committed
     * one, so a change seen again (a session resumed from an older cookie after a failed transaction, a retried
     * transaction) must publish nothing. In each key's committed records, therefore, puts and tombstones alternate
     * (two puts in a row, or two tombstones, would be one change applied twice), starting with a put; a key the
     * stream never touched has exactly one record; and a toggled key has at most one record per change made to
     * it, plus its initial restriction. Fewer is allowed: changes made while the syncer was retrying fold into
     * one reconciliation.
     */
    private static void assertNothingTwice(CommittedView topic, ChangeStream stream, List<String> toggled) {
        Set<String> touched = Set.copyOf(toggled);
        List<String> wrong = new ArrayList<>();
        topic.history().forEach((key, records) -> {
            for (int i = 0; i < records.size(); i++) {
                boolean put = records.get(i) != null;
                if (put == (i % 2 == 1)) {
                    wrong.add(key + ": record " + i + " is a " + (put ? "put" : "tombstone") + " after a "
                            + (put ? "put" : "tombstone"));
                    return;
                }
            }
            String uid = uid(key);
            int allowed = touched.contains(uid) ? (uid.startsWith("b") ? 1 : 0) + stream.changes(uid) : 1;
            if (records.size() > allowed) {
                wrong.add(key + ": " + records.size() + " records for " + allowed + " changes");
            }
        });
        assertThat(wrong).as("a change committed twice").isEmpty();
    }

    /** The committed position is where the directory is: its cookie carries the suffix's contextCSN. */
    private static void assertPositionIsTheDirectorys() throws Exception {
        String state = CommittedView.read(CLUSTER.bootstrapServers(), PREFIX + ".state").values().get(SYNCER_ID);
        assertThat(state).as("a committed position").isNotNull();
        String cookie = new String(Base64.getDecoder().decode(new ObjectMapper().readTree(state).get("cookie")
                .asText()), StandardCharsets.UTF_8);
        List<String> csns = new ArrayList<>();
        for (String line : SLAPD.ldapsearch("(contextCSN=*)", "contextCSN").stdout().split("\n")) {
            if (line.startsWith("contextCSN: ")) {
                csns.add(line.substring(12).trim());
            }
        }
        assertThat(csns).as("slapd's contextCSN").isNotEmpty();
        assertThat(cookie).as("committed cookie").contains(csns.stream().map(c -> "csn=" + c).toList());
    }

    /** What the node may answer for each toggled sender key, in the committed order (see AnswerWatch). */
    private static Map<String, List<String>> answersOf(CommittedView topic, List<String> toggled, String action) {
        Map<String, List<String>> out = new HashMap<>();
        for (String uid : toggled) {
            List<String> states = new ArrayList<>(List.of(AnswerWatch.NOT_FOUND));
            for (String v : topic.history().getOrDefault("ldap|sender|" + uid + "@example.org", List.of())) {
                states.add(v == null ? AnswerWatch.NOT_FOUND : action);
            }
            out.put(uid + "@example.org", states);
        }
        return out;
    }

    private static String uid(String key) {
        String subject = key.substring(key.lastIndexOf('|') + 1);
        int at = subject.indexOf('@');
        return at < 0 ? subject : subject.substring(0, at);
    }

    private static CommittedView committed() {
        return CommittedView.read(CLUSTER.bootstrapServers(), TOPIC);
    }

    private static long restrictions(Map<String, Object> status) {
        return ((Number) ((Map<?, ?>) status.get("store")).get("restrictions")).longValue();
    }

    /**
     * Restricts and lifts the toggled accounts in turn, five LDAP modify operations every 200 ms, until stopped;
     * counts the changes made to each account and knows its final state.
     */
    private static final class ChangeStream implements Runnable {
        private final List<String> uids;
        private final Map<String, Boolean> restricted = new LinkedHashMap<>();
        private final Map<String, Integer> changes = new HashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile RuntimeException failure;
        private int next;

        ChangeStream(List<String> uids) {
            this.uids = uids;
            uids.forEach(u -> restricted.put(u, u.startsWith("b")));
        }

        @Override
        public void run() {
            try {
                stream();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        private void stream() {
            while (running.get()) {
                StringBuilder ldif = new StringBuilder();
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    String uid = uids.get(next++ % uids.size());
                    batch.add(uid);
                    ldif.append("dn: uid=").append(uid).append(',').append(SLAPD.peopleDn())
                            .append("\nchangetype: modify\nreplace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: ")
                            .append(restricted(uid) ? "FALSE" : "TRUE").append("\n\n");
                }
                SLAPD.ldapmodify(ldif.toString()); // throws on an LDAP error: the stream ends, the test fails
                synchronized (this) {
                    for (String uid : batch) {
                        restricted.put(uid, !restricted.get(uid));
                        changes.merge(uid, 1, Integer::sum);
                    }
                }
                NodeProcess.sleep(200);
            }
        }

        void stop() {
            running.set(false);
        }

        /** What ended the stream other than {@link #stop()}, or null. */
        RuntimeException failure() {
            return failure;
        }

        synchronized boolean restricted(String uid) {
            return restricted.get(uid);
        }

        synchronized int changes(String uid) {
            return changes.getOrDefault(uid, 0);
        }

        synchronized int total() {
            return changes.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
