package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What lookup nodes make of the topic: heavy ingest across a kill -9, and records that break the contract. */
class NodeIngestIT {
    private static final String HEAVY = "it.heavy";
    private static final String BAD = "it.bad";
    private static final List<String> SOURCES = List.of("abuse", "helpdesk", "ldap");
    private static final List<String> VERBS = List.of("REJECT", "DEFER", "550 5.7.1", "HOLD", "DISCARD",
            "DEFER_IF_PERMIT");

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    @BeforeAll
    static void topics() {
        kafka.createTopic(HEAVY, 3, true);
        // Kafka refuses null keys on compacted topics: the null-key case needs a delete-policy topic.
        kafka.createTopic(BAD, 1, false);
    }

    /**
     * The published plan: a sequence of puts and tombstones over single-source sender subjects,
     * subjects shared by several sources, and logins; {@link #last} is what the topic says at the end.
     */
    private static final class Plan {
        final List<String> senderSubjects = new ArrayList<>();
        final List<String> sharedSubjects = new ArrayList<>();
        final List<String> logins = new ArrayList<>();
        final Map<RestrictionKey, String> last = new HashMap<>();

        Plan(int perSource, int shared, int logins) {
            for (String source : SOURCES) {
                for (int i = 0; i < perSource; i++) {
                    senderSubjects.add("u" + i + "@" + source + ".heavy.example");
                }
            }
            for (int i = 0; i < shared; i++) {
                sharedSubjects.add("shared" + i + "@heavy.example");
            }
            for (int i = 0; i < logins; i++) {
                this.logins.add("login" + i);
            }
        }

        /** A random key: the source of a single-source subject is the one its domain names. */
        RestrictionKey randomKey(Random rnd) {
            int pick = rnd.nextInt(100);
            if (pick < 80) {
                String subject = senderSubjects.get(rnd.nextInt(senderSubjects.size()));
                String source = subject.substring(subject.indexOf('@') + 1, subject.indexOf(".heavy"));
                return new RestrictionKey(source, Kind.SENDER, subject);
            }
            if (pick < 92) {
                return new RestrictionKey(SOURCES.get(rnd.nextInt(SOURCES.size())), Kind.SENDER,
                        sharedSubjects.get(rnd.nextInt(sharedSubjects.size())));
            }
            return new RestrictionKey(SOURCES.get(rnd.nextInt(SOURCES.size())), Kind.LOGIN,
                    logins.get(rnd.nextInt(logins.size())));
        }

        /** The socketmap reply the topic's final state calls for: the most severe, then the first source. */
        String expectedReply(Kind kind, String subject) {
            String best = null;
            int bestSeverity = -1;
            for (String source : SOURCES) { // alphabetical: a later source wins only if more severe
                String action = last.get(new RestrictionKey(source, kind, subject));
                if (action != null && AccessAction.parse(action).severity() > bestSeverity) {
                    best = action;
                    bestSeverity = AccessAction.parse(action).severity();
                }
            }
            return best == null ? "NOTFOUND " : "OK " + best;
        }

        long restrictions() {
            return last.values().stream().filter(v -> v != null).count();
        }
    }

    @Test
    void shouldMatchAFreshRebuildAfterKill9DuringHeavyIngest() throws Exception {
        int total = 200_000;
        Plan plan = new Plan(12_000, 1_000, 2_000);
        NodeProcess crashed = nodes.node(nodes.builder("crashed-node").topic(HEAVY)).start();
        AtomicLong produced = new AtomicLong();
        CompletableFuture<Void> producing;
        try (Events events = new Events(kafka.bootstrapServers(), HEAVY)) {
            producing = CompletableFuture.runAsync(() -> publish(events, plan, total, produced));
            Map<String, Object> atKill = Eventually.await("applied > 60000", Duration.ofSeconds(120), 20,
                    crashed::status, s -> ((Number) s.get("applied")).longValue() > 60_000);
            long producedAtKill = produced.get();
            crashed.kill9();
            assertThat(((Number) atKill.get("applied")).longValue()).as("killed mid-ingest").isLessThan(total);
            System.out.println("kill -9 with " + atKill.get("applied") + " applied (store " + atKill.get("store")
                    + "), " + producedAtKill + " of " + total + " events sent");
            crashed.start();
            producing.get();
        }
        try (Events events = new Events(kafka.bootstrapServers(), HEAVY)) {
            Map<Integer, Long> end = events.endOffsets();
            long t0 = System.nanoTime();
            awaitCaughtUp(crashed, end);
            System.out.println("restarted node caught up " + (System.nanoTime() - t0) / 1_000_000
                    + " ms after the last event was sent; end offsets " + end);
            NodeProcess fresh = nodes.node(nodes.builder("fresh-node").topic(HEAVY)).start();
            t0 = System.nanoTime();
            ReadinessWatch watch = new ReadinessWatch(fresh, plan);
            watch.start();
            awaitCaughtUp(fresh, end);
            watch.finish();
            System.out.println("fresh node read the whole topic in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms; while catching up it answered " + watch.temp + " TEMP and " + watch.final_
                    + " final answers");
            assertThat(watch.wrong).as("answers that were neither TEMP nor the topic's final answer").isEmpty();
            assertThat(watch.temp).as("TEMP while catching up").isPositive();

            assertThat(storeSize(crashed)).isEqualTo(plan.restrictions());
            assertThat(storeSize(fresh)).isEqualTo(plan.restrictions());
            t0 = System.nanoTime();
            int compared = compareAnswers(plan, crashed, fresh);
            int explained = compareSharedSubjects(plan, crashed, fresh);
            System.out.println("compared " + compared + " socketmap answers and " + explained
                    + " full explanations per node in " + (System.nanoTime() - t0) / 1_000_000 + " ms; "
                    + plan.restrictions() + " restrictions in each store");
        }
    }

    @Test
    void shouldKeepTheLiveGenerationWhenKilledDuringARebuild() throws Exception {
        String topic = "it.rebuild";
        kafka.createTopic(topic, 3, true);
        Plan plan = new Plan(4_000, 200, 500);
        try (Events events = new Events(kafka.bootstrapServers(), topic)) {
            publish(events, plan, 60_000, new AtomicLong());
        }
        NodeProcess first = nodes.node(nodes.builder("generation-1").topic(topic)).start();
        try (Events events = new Events(kafka.bootstrapServers(), topic)) {
            awaitCaughtUp(first, events.endOffsets());
        }
        first.stop();
        String probe = plan.senderSubjects.get(0);
        String probeAnswer = plan.expectedReply(Kind.SENDER, probe);
        try (Events events = new Events(kafka.bootstrapServers(), topic)) {
            publish(events, plan, 500, new AtomicLong()); // changes the old generation never saw
        }
        NodeProcess.sleep(2500); // past ingest.maxOffline below: the store is rebuilt at start

        NodeProcess rebuilding = nodes.node(nodes.builder("rebuilding").topic(topic).store(first.store())
                .override("ingest.maxOffline=2s")).start();
        try (Wire w = rebuilding.socketmap()) {
            assertThat(w.lookup("sender", probe)).as("the old generation answers during the rebuild")
                    .isEqualTo(probeAnswer);
        }
        Map<String, Object> atKill = Eventually.await("rebuilding, 10000 applied", Duration.ofSeconds(60), 20,
                rebuilding::status, st -> "REBUILDING".equals(st.get("state"))
                        && ((Number) st.get("applied")).longValue() > 10_000);
        rebuilding.kill9();
        System.out.println("kill -9 during the rebuild with " + atKill.get("applied") + " applied to the new"
                + " generation; live: " + ((Map<?, ?>) atKill.get("store")).get("file"));
        assertThat(java.nio.file.Files.readString(first.store().resolve("CURRENT")).strip()).isEqualTo("gen-1");

        rebuilding.start();
        try (Wire w = rebuilding.socketmap()) {
            assertThat(w.lookup("sender", probe)).as("after the crash the old generation still answers")
                    .isEqualTo(probeAnswer);
        }
        try (Events events = new Events(kafka.bootstrapServers(), topic)) {
            Map<Integer, Long> end = events.endOffsets();
            Eventually.await("rebuilt", Duration.ofSeconds(120), 200, rebuilding::status,
                    st -> ((Number) st.get("rebuilds")).longValue() == 1);
            awaitCaughtUp(rebuilding, end);
        }
        assertThat(storeSize(rebuilding)).isEqualTo(plan.restrictions());
        int compared = compareAnswers(plan, rebuilding, rebuilding);
        try (var files = java.nio.file.Files.list(first.store())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("gen-")).toList())
                    .containsExactly("gen-2");
        }
        System.out.println("after the rebuild: " + compared + " answers match the topic");
    }

    /**
     * Asks a node that is catching up (everything already published) about sample subjects until
     * stopped: before it is ready every answer must be TEMP, after that exactly the topic's final answer.
     */
    private static final class ReadinessWatch extends Thread {
        final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        final NodeProcess node;
        final List<String[]> samples = new ArrayList<>();
        volatile boolean stop;
        long temp;
        long final_;

        ReadinessWatch(NodeProcess node, Plan plan) {
            super("readiness-watch");
            this.node = node;
            for (int i = 0; i < plan.senderSubjects.size(); i += 400) {
                String subject = plan.senderSubjects.get(i);
                samples.add(new String[] {subject, plan.expectedReply(Kind.SENDER, subject)});
            }
        }

        @Override
        public void run() {
            try (Wire w = node.socketmap()) {
                while (!stop) {
                    for (String[] s : samples) {
                        String reply = w.lookup("sender", s[0]);
                        if (reply.startsWith("TEMP ")) {
                            temp++;
                        } else if (reply.equals(s[1])) {
                            final_++;
                        } else if (wrong.size() < 20) {
                            wrong.add(s[0] + ": '" + reply + "', the topic says '" + s[1] + "'");
                        }
                    }
                }
            } catch (IOException e) {
                wrong.add("watch connection failed: " + e);
            }
        }

        void finish() throws InterruptedException {
            stop = true;
            join(30_000);
        }
    }

    private static void publish(Events events, Plan plan, int total, AtomicLong produced) {
        Random rnd = new Random(20261125 + total);
        for (int seq = 0; seq < total; seq++) {
            RestrictionKey key = plan.randomKey(rnd);
            if (rnd.nextInt(100) < 15) {
                events.liftAsync(key);
                plan.last.put(key, null);
            } else {
                String action = VERBS.get(rnd.nextInt(VERBS.size())) + " v" + seq;
                Restriction r = Events.restriction(key.source(), key.kind(), key.subject(), action);
                events.putAsync(r);
                plan.last.put(key, r.action().render());
            }
            produced.incrementAndGet();
        }
        events.flush();
    }

    private static void awaitCaughtUp(NodeProcess node, Map<Integer, Long> end) {
        awaitCaughtUp(node, () -> end);
    }

    /** Ready, with the store's position at {@code end} as it is at each check. */
    private static void awaitCaughtUp(NodeProcess node, Supplier<Map<Integer, Long>> end) {
        Eventually.await(node.name() + " at the end offsets", Duration.ofSeconds(180), 200, node::status,
                s -> {
                    Map<String, Long> expected = new HashMap<>();
                    end.get().forEach((p, o) -> expected.put(Integer.toString(p), o));
                    Map<?, ?> position = (Map<?, ?>) ((Map<?, ?>) s.get("store")).get("position");
                    Map<String, Long> actual = new HashMap<>();
                    position.forEach((k, v) -> actual.put(k.toString(), ((Number) v).longValue()));
                    return actual.equals(expected) && Boolean.TRUE.equals(s.get("ready"));
                });
    }

    private static long storeSize(NodeProcess node) {
        return ((Number) ((Map<?, ?>) node.status().get("store")).get("restrictions")).longValue();
    }

    /** Every published subject, through pipelined socketmap lookups on both nodes, against the plan. */
    private static int compareAnswers(Plan plan, NodeProcess a, NodeProcess b) throws IOException {
        List<String[]> queries = new ArrayList<>();
        plan.senderSubjects.forEach(s -> queries.add(new String[] {"sender", s}));
        plan.sharedSubjects.forEach(s -> queries.add(new String[] {"sender", s}));
        plan.logins.forEach(s -> queries.add(new String[] {"login", s}));
        List<String> fromA = lookupAll(a, queries);
        List<String> fromB = lookupAll(b, queries);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < queries.size() && mismatches.size() < 20; i++) {
            Kind kind = queries.get(i)[0].equals("sender") ? Kind.SENDER : Kind.LOGIN;
            String expected = plan.expectedReply(kind, queries.get(i)[1]);
            if (!expected.equals(fromA.get(i)) || !expected.equals(fromB.get(i))) {
                mismatches.add(String.join(" ", queries.get(i)) + ": topic says '" + expected + "', restarted node '"
                        + fromA.get(i) + "', fresh node '" + fromB.get(i) + "'");
            }
        }
        assertThat(mismatches).as("answers that differ from the topic").isEmpty();
        return queries.size();
    }

    private static List<String> lookupAll(NodeProcess node, List<String[]> queries) throws IOException {
        List<String> out = new ArrayList<>(queries.size());
        try (Wire w = node.socketmap()) {
            for (int from = 0; from < queries.size(); from += 500) {
                int to = Math.min(queries.size(), from + 500);
                java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
                for (String[] q : queries.subList(from, to)) {
                    byte[] payload = (q[0] + " " + q[1]).getBytes(StandardCharsets.UTF_8);
                    batch.writeBytes((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
                    batch.writeBytes(payload);
                    batch.write(',');
                }
                w.send(batch.toByteArray());
                for (int i = from; i < to; i++) {
                    out.add(w.readNetstring());
                }
            }
        }
        return out;
    }

    /** Subjects several sources restrict: every source's full restriction, as GET /restrictions shows it. */
    private static int compareSharedSubjects(Plan plan, NodeProcess a, NodeProcess b) {
        for (String subject : plan.sharedSubjects) {
            List<?> fromA = (List<?>) a.explain("sender", subject).get("restrictions");
            List<?> fromB = (List<?>) b.explain("sender", subject).get("restrictions");
            assertThat(fromA).as("restrictions on %s, restarted vs fresh node", subject).isEqualTo(fromB);
            Map<String, String> bySource = new LinkedHashMap<>();
            for (Object o : fromA) {
                Map<?, ?> r = (Map<?, ?>) o;
                bySource.put((String) r.get("source"), (String) r.get("action"));
            }
            Map<String, String> expected = new LinkedHashMap<>();
            for (String source : SOURCES) {
                String action = plan.last.get(new RestrictionKey(source, Kind.SENDER, subject));
                if (action != null) {
                    expected.put(source, action);
                }
            }
            assertThat(bySource).as("restrictions on %s vs the topic", subject).isEqualTo(expected);
        }
        return plan.sharedSubjects.size();
    }

    @Test
    void shouldApplyOnlyCommittedTransactions() throws Exception {
        String topic = "it.txn";
        kafka.createTopic(topic, 3, true);
        NodeProcess node = nodes.node(nodes.builder("txn-node").topic(topic)).start();
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("transactional.id", "it-txn-" + System.nanoTime());
        p.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String subject : List.of("aborted1@example.org", "aborted2@example.org", "aborted3@example.org")) {
                Restriction r = Events.restriction("abuse", Kind.SENDER, subject, "REJECT Aborted");
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                        Events.bytes(r.key().wire()), Events.CODEC.encode(r)));
            }
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (String subject : List.of("committed1@example.org", "committed2@example.org", "committed3@example.org")) {
                Restriction r = Events.restriction("abuse", Kind.SENDER, subject, "REJECT Committed");
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                        Events.bytes(r.key().wire()), Events.CODEC.encode(r)));
            }
            producer.commitTransaction();
        }
        try (Events events = new Events(kafka.bootstrapServers(), topic)) {
            // Past the aborted records and both transactions' markers. The end offsets are read again at
            // each check: commitTransaction() returns before the brokers have written the commit markers
            // (CI once read them a marker short, and waited for a position the node had already passed).
            awaitCaughtUp(node, events::endOffsets);
        }
        try (Wire w = node.socketmap()) {
            for (int i = 1; i <= 3; i++) {
                assertThat(w.lookup("sender", "committed" + i + "@example.org")).isEqualTo("OK REJECT Committed");
                assertThat(w.lookup("sender", "aborted" + i + "@example.org")).isEqualTo("NOTFOUND ");
            }
        }
        Map<String, Object> status = node.status();
        assertThat(((Number) status.get("applied")).longValue()).as("%s", status).isEqualTo(3);
        assertThat(((Number) status.get("skipped")).longValue()).isZero();
    }

    @Test
    void shouldHaltAtABadRecordUnderTheHaltPolicyAndKeepAnswering() throws Exception {
        String topic = "it.halt";
        kafka.createTopic(topic, 1, true);
        NodeProcess node = nodes.node(nodes.builder("halt-node").topic(topic).override("ingest.badRecords=HALT"))
                .start();
        // Caught up first: a fresh node that meets a bad record before the end offsets it saw at start
        // never becomes ready under HALT (it answers TEMP), by design; that is not this case.
        Eventually.await("ready", Duration.ofSeconds(60), node::status, st -> Boolean.TRUE.equals(st.get("ready")));
        try (Events events = new Events(kafka.bootstrapServers(), topic)) {
            events.put(Events.restriction("abuse", Kind.SENDER, "before@example.org", "REJECT Before"));
            events.raw(Events.bytes("abuse|sender|broken@example.org"), Events.bytes("{\"schema\":"));
            events.put(Events.restriction("abuse", Kind.SENDER, "after@example.org", "REJECT After"));
        }
        Map<String, Object> status = Eventually.await("halted", Duration.ofSeconds(30), node::status,
                s -> "HALTED".equals(s.get("state")));
        assertThat((String) status.get("lastError")).contains(topic + "/0@1");
        assertThat(((Map<?, ?>) status.get("store")).get("position")).as("%s", status)
                .isEqualTo(Map.of("0", 1)); // everything before the bad record, nothing after
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "before@example.org")).isEqualTo("OK REJECT Before");
            assertThat(w.lookup("sender", "after@example.org")).as("not applied past the halt").startsWith("NOTFOUND");
        }
        NodeProcess.Json health = node.healthcheck();
        assertThat(health.status()).isEqualTo(500);
        assertThat(health.body().get("caught-up")).asString().contains("healthy=false", "ingest halted");

        node.stop();
        node.start(); // halts again at the same record: the position is where the bad record is
        Eventually.await("halted again", Duration.ofSeconds(30), node::status, st -> "HALTED".equals(st.get("state")));
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "before@example.org")).isEqualTo("OK REJECT Before");
            assertThat(w.lookup("sender", "after@example.org")).startsWith("NOTFOUND");
        }
    }

    @Test
    void shouldSkipAndCountBadRecords() throws Exception {
        NodeProcess node = nodes.node(nodes.builder("bad-records-node").topic(BAD)).start();
        try (Events events = new Events(kafka.bootstrapServers(), BAD)) {
            Restriction good1 = Events.restriction("abuse", Kind.SENDER, "good1@example.org", "REJECT Good one");
            Restriction good2 = Events.restriction("abuse", Kind.SENDER, "good2@example.org", "REJECT Good two");
            Restriction good3 = Events.restriction("abuse", Kind.LOGIN, "good3", "REJECT Good three");
            Restriction v2 = Events.restriction("abuse", Kind.SENDER, "v2@example.org", "REJECT Future schema");
            Restriction other = Events.restriction("abuse", Kind.SENDER, "value@example.org", "REJECT Mismatch");
            Restriction upper = Events.restriction("abuse", Kind.SENDER, "mixed@example.org", "REJECT Not normal");
            Restriction keyless = Events.restriction("abuse", Kind.SENDER, "keyless@example.org", "REJECT No key");

            events.put(good1);
            events.raw(Events.bytes("abuse|sender|junk@example.org"), Events.bytes("this is not JSON {"));
            events.put(good2);
            events.raw(Events.bytes(v2.key().wire()), Events.bytes(new String(Events.CODEC.encode(v2),
                    StandardCharsets.UTF_8).replace("restrictd.restriction/v1", "restrictd.restriction/v2")));
            events.raw(Events.bytes("abuse|sender|key@example.org"), Events.CODEC.encode(other));
            events.raw(Events.bytes("abuse|sender|Mixed@Example.ORG"), Events.CODEC.encode(upper));
            events.raw(null, Events.CODEC.encode(keyless));
            events.put(good3);

            try (Wire w = node.socketmap()) {
                Eventually.await("the last good record applied", Duration.ofSeconds(30), () -> {
                    try {
                        return w.lookup("login", "good3");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "OK REJECT Good three"::equals);
                assertThat(w.lookup("sender", "good1@example.org")).isEqualTo("OK REJECT Good one");
                assertThat(w.lookup("sender", "good2@example.org")).isEqualTo("OK REJECT Good two");
                for (String skipped : List.of("junk@example.org", "v2@example.org", "key@example.org",
                        "value@example.org", "mixed@example.org", "keyless@example.org")) {
                    assertThat(w.lookup("sender", skipped)).as(skipped).isEqualTo("NOTFOUND ");
                }
            }
            Map<String, Object> status = node.status();
            assertThat(((Number) status.get("skipped")).longValue()).as("%s", status).isEqualTo(5);
            assertThat(((Number) status.get("applied")).longValue()).as("%s", status).isEqualTo(3);
            assertThat((String) status.get("lastSkipped")).startsWith(BAD + "/0@6");
            assertThat(status.get("state")).isEqualTo("FOLLOWING");
            NodeProcess.Json health = node.healthcheck();
            assertThat(health.status()).as("%s", health).isEqualTo(500);
            assertThat(health.body().get("skipped-records")).asString().contains("healthy=false");
            assertThat(health.body().get("store")).asString().contains("healthy=true");

            assertThat(node.isRunning()).isTrue();
            events.put(Events.restriction("abuse", Kind.SENDER, "good4@example.org", "REJECT Still going"));
            assertThat(Eventually.await("good4 found", Duration.ofSeconds(30), () -> node.postmap("good4@example.org"),
                    r -> r.succeeded()).value()).isEqualTo("REJECT Still going");
        }
    }
}
