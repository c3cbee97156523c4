package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lookup node working off a backlog from a real KRaft broker, killed with SIGKILL at random instants over and
 * over: while it ingests, sweeps expired restrictions (bursts that expire together), rebuilds its store (a
 * node with {@code ingest.maxOffline: 1s} on the same store), just after promoting a rebuild, and while it
 * starts. Every other restart happens with the broker stopped (SIGSTOP, or killed every tenth time).
 *
 * <p>After each restart the node's first socketmap answer, asked as soon as the port accepts, must come from
 * its store (never {@code TEMP}); its position must not have gone back; and its answers for a sample of the
 * subjects must be those of the topic (read back into a {@link TopicModel}) at the position {@code /status}
 * reports: exactly that position while the broker is stopped, some position between two readings while it
 * runs. Then the broker returns for good and the node must converge on the whole topic.
 *
 * <p>50 restarts by default; 500 with {@code -Drestrictd.nodecrash.kills=500} (or env
 * {@code RESTRICTD_NODECRASH_KILLS}), see {@code ops/bench/store}.
 */
class NodeCrashLoopIT {
    private static final String TOPIC = "restrictd.restrictions";
    private static final int SUBJECTS = 20_000;
    private static final int BACKLOG = 20_000;
    private static final int BACKLOGS = 10;
    private static final int SWEEP_BURST = 2_000;
    private static final int SAMPLE = 2_500;

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    private final Random random = new Random(20261202);
    private int backlogEvery;

    @Test
    void shouldAnswerFromTheStoreAfterEveryKillAndConverge() throws Exception {
        int restarts = Integer.parseInt(System.getProperty("restrictd.nodecrash.kills",
                System.getenv().getOrDefault("RESTRICTD_NODECRASH_KILLS", "50")));
        // Ten backlogs in all, several kills each: the topic (and the model) stays a few hundred thousand records.
        backlogEvery = Math.max(5, restarts / BACKLOGS);
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(TOPIC + ".audit", 1, false);
        try (Events events = new Events(kafka.bootstrapServers(), TOPIC);
                TopicModel model = new TopicModel(kafka.bootstrapServers(), TOPIC)) {
            CrashBacklog backlog = new CrashBacklog(events, SUBJECTS, 7);
            NodeProcess node = nodes.node(nodes.builder("crash-node").staleAfter("60s"));
            NodeProcess rebuilder = nodes.node(nodes.builder("crash-rebuild").staleAfter("60s").store(node.store())
                    .override("ingest.maxOffline=1s"));
            CrashTally tally = new CrashTally();
            long t0 = System.nanoTime();
            warmUp(node, backlog, model, tally);
            for (int i = 0; i < restarts; i++) {
                cycle(i, (i % 3 == 2) ? rebuilder : node, backlog, model, tally);
                if ((i + 1) % 10 == 0) { // a long run on demand shows where it is, and what it found so far
                    System.out.printf("node crash loop: %d of %d restarts, %d unusable, %d mixed, %d s%n", i + 1,
                            restarts, tally.unusable, tally.mixed, (System.nanoTime() - t0) / 1_000_000_000);
                }
            }
            long loopSeconds = (System.nanoTime() - t0) / 1_000_000_000;
            AnswerCheck.Result atEnd = converge(node, model);
            System.out.printf("node crash loop: %d restarts, %d unusable, %d mixed%n", tally.restarts, tally.unusable,
                    tally.mixed);
            System.out.printf("node crash loop details: %d s; %s; topic %d records; converged: %d answers compared, %d"
                    + " wrong%n", loopSeconds, tally.details(), model.records(), atEnd.compared(), atEnd.wrong().size());
            assertThat(tally.failures).as("unusable stores and mixed states").isEmpty();
            assertThat(atEnd.wrong()).as("answers that differ from the topic after converging").isEmpty();
            assertThat(tally.restarts).isEqualTo(restarts);
        } finally { // the loop may have failed with the broker paused or killed
            if (kafka.isRunning()) {
                kafka.resume();
            } else {
                kafka.start();
            }
        }
    }

    /** A first backlog, ingested to the end: from then on the node's store has a position and a sync time. */
    private void warmUp(NodeProcess node, CrashBacklog backlog, TopicModel model, CrashTally tally)
            throws InterruptedException {
        backlog.publish(BACKLOG);
        Map<Integer, Long> end = model.readToEnd();
        node.start();
        Eventually.await("first catch-up to " + end, Duration.ofMinutes(5), () -> position(status(node)),
                p -> reached(p, end));
        Eventually.await("synced", Duration.ofMinutes(1), () -> status(node), s -> s.get("syncedAt") != null);
        tally.lastSeen = position(status(node));
        kill(node, tally, "warm-up");
    }

    private void cycle(int i, NodeProcess node, CrashBacklog backlog, TopicModel model, CrashTally tally)
            throws Exception {
        if (i % backlogEvery == 0) {
            backlog.publish(BACKLOG);
            model.readToEnd();
        }
        boolean brokerDown = i % 2 == 0;
        boolean brokerKilled = brokerDown && i % 20 == 0; // a real crash now and then; it restarts in 5-20 s
        if (brokerKilled) {
            kafka.kill();
        } else if (brokerDown) {
            kafka.pause();
        }
        if (i % 7 == 6) {
            killWhileStarting(node, tally);
        }
        long logFrom = node.logText().length();
        tally.restarts++;
        if (restartAndCheck(i, node, model, tally, brokerDown)) {
            bringBrokerBack(brokerDown, brokerKilled);
            String phase = awaitKillInstant(i, node, backlog, model);
            kill(node, tally, phase);
        } else {
            bringBrokerBack(brokerDown, brokerKilled);
            node.destroy();
        }
        tally.ran(node.logText().substring((int) logFrom));
    }

    private static void bringBrokerBack(boolean brokerDown, boolean brokerKilled) {
        if (brokerKilled) {
            kafka.start();
        } else if (brokerDown) {
            kafka.resume();
        }
    }

    /** A kill at a random instant of the start: JVM start, store open, ports opening. No check: it restarts. */
    private void killWhileStarting(NodeProcess node, CrashTally tally) throws InterruptedException {
        node.launchOnly();
        NodeProcess.sleep(random.nextInt(4000));
        if (node.isRunning()) {
            node.kill9();
            tally.killedIn.merge("start", 1, Integer::sum);
        }
        node.destroy(); // it may have exited by itself: that is the next start's problem to show
    }

    /** Restarts the node, checks its first answer and its answers at its position; false if it was unusable. */
    private boolean restartAndCheck(int i, NodeProcess node, TopicModel model, CrashTally tally, boolean brokerDown)
            throws InterruptedException {
        String what = "restart " + i + " (" + node.name() + ", broker " + (brokerDown ? "down" : "up") + ")";
        node.launchOnly();
        int first = random.nextInt(SUBJECTS);
        AnswerCheck.FirstAnswer answer;
        try {
            answer = AnswerCheck.first(node, CrashBacklog.subject(first));
            node.awaitListening();
        } catch (AssertionError | IOException e) {
            tally.unusable(what + ": " + firstLine(e.toString()));
            return false;
        }
        tally.firstAnswer(answer.sinceLaunchMillis());
        if (answer.reply().startsWith("TEMP")) {
            tally.unusable(what + ": first answer " + answer.reply() + " (" + answer.sinceLaunchMillis() + " ms)");
            return false;
        }
        try {
            return compareWithTopic(what, first, answer, node, model, tally, brokerDown);
        } catch (IOException | RuntimeException e) { // the node died or stopped answering while checked
            tally.unusable(what + ": " + firstLine(e.toString()));
            return false;
        }
    }

    private boolean compareWithTopic(String what, int first, AnswerCheck.FirstAnswer answer, NodeProcess node,
            TopicModel model, CrashTally tally, boolean brokerDown) throws IOException {
        Map<Integer, Long> before = position(status(node));
        if (tally.wentBack(before)) {
            tally.unusable(what + ": position " + sorted(before) + " is behind " + sorted(tally.lastSeen)
                    + ", seen before the kill");
            return false;
        }
        AnswerCheck check = new AnswerCheck(model);
        // The first answer came from the store as reopened: somewhere between the last position seen and now.
        String firstWrong = check.wrong(CrashBacklog.key(first), answer.reply(), answer.at(), tally.lastSeen, before);
        AnswerCheck.Result result = check.compare(node, sample(), before, brokerDown);
        tally.checked(what, firstWrong == null || firstWrong.isEmpty() ? null : firstWrong, result, brokerDown);
        tally.lastSeen = before;
        return true;
    }

    private int[] sample() {
        return random.ints(SAMPLE, 0, SUBJECTS).toArray();
    }

    /**
     * Lets the node run until the instant it is killed at: during a rebuild or just after its promotion (the
     * rebuilding node), just as a burst of restrictions expires (a sweep), or after a random while (ingest).
     */
    private String awaitKillInstant(int i, NodeProcess node, CrashBacklog backlog, TopicModel model) {
        if (node.name().equals("crash-rebuild")) {
            boolean afterPromotion = (i / 3) % 3 == 1; // a full rebuild takes long: one in three
            Eventually.await("rebuild " + (afterPromotion ? "promoted" : "under way"), Duration.ofMinutes(5),
                    () -> status(node), s -> ((Number) s.get("rebuilds")).longValue() > 0
                            || !afterPromotion && "REBUILDING".equals(s.get("state")));
            NodeProcess.sleep(random.nextInt(afterPromotion ? 1000 : 3000));
            return afterPromotion ? "after promotion" : "rebuild";
        }
        if (i % 4 == 3) {
            Instant at = Instant.now().plusSeconds(3);
            backlog.publishExpiringAt(SWEEP_BURST, at);
            model.readToEnd();
            NodeProcess.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()) + random.nextInt(2000));
            return "sweep";
        }
        NodeProcess.sleep(300 + random.nextInt(2700));
        return "ingest";
    }

    /** Reads the node's status (best effort: it may be busy), then SIGKILLs it. */
    private static void kill(NodeProcess node, CrashTally tally, String phase) throws InterruptedException {
        String state = "?";
        try {
            Map<String, Object> status = node.status();
            tally.lastSeen = position(status);
            state = String.valueOf(status.get("state"));
        } catch (RuntimeException e) {
            // no status this time: the last position seen stays the floor
        }
        node.kill9();
        tally.killedIn.merge(phase + "/" + state, 1, Integer::sum);
    }

    /**
     * The broker back for good: the node must reach the topic's end and answer exactly what it holds. The same
     * answers judged against the topic's beginning must differ (the check can tell a wrong state).
     */
    private AnswerCheck.Result converge(NodeProcess node, TopicModel model) throws IOException {
        Map<Integer, Long> end = model.readToEnd();
        node.start();
        Eventually.await("converged on " + end, Duration.ofMinutes(5), () -> position(status(node)),
                p -> reached(p, end));
        AnswerCheck check = new AnswerCheck(model);
        AnswerCheck.Lookups all = AnswerCheck.lookUp(node, IntStream.range(0, SUBJECTS).toArray());
        assertThat(check.judge(all, Map.of(), Map.of()).wrong()).as("answers that an empty topic would not give")
                .hasSizeGreaterThan(SUBJECTS / 10);
        return check.judge(all, end, position(status(node)));
    }

    private static boolean reached(Map<Integer, Long> position, Map<Integer, Long> end) {
        return end.entrySet().stream().allMatch(e -> position.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /**
     * {@code GET /status}, retried for a minute: a JVM just started on a loaded host can be slow to answer its
     * first request, which says nothing about its store. The last failure is thrown.
     */
    static Map<String, Object> status(NodeProcess node) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                return node.status();
            } catch (UncheckedIOException e) {
                if (!node.isRunning() || System.nanoTime() > deadline) {
                    throw e;
                }
                NodeProcess.sleep(500);
            }
        }
    }

    /** The store position in a {@code /status} answer: next offset by partition. */
    static Map<Integer, Long> position(Map<String, Object> status) {
        Map<Integer, Long> out = new TreeMap<>();
        Map<?, ?> store = (Map<?, ?>) status.get("store");
        ((Map<?, ?>) store.get("position")).forEach((p, o) -> out.put(Integer.parseInt(p.toString()),
                ((Number) o).longValue()));
        return out;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static Map<Integer, Long> sorted(Map<Integer, Long> m) {
        return new TreeMap<>(m);
    }
}
