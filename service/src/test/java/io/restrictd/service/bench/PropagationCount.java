package io.restrictd.service.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Waits until a topic holds {@code target} live keys starting with a prefix, as a {@code read_committed}
 * consumer sees them (ops/bench/run-syncer, initial sync): only what a syncer has committed counts.
 *
 * <pre>
 *   PropagationCount --bootstrap HOST:PORT --topic T --target N --out FILE [--prefix 'ldap|sender|']
 *                    [--timeout-s 600]
 * </pre>
 *
 * <p>Prints {@code ready} on stderr once assigned to every partition from the beginning, then writes to
 * FILE (stdout may carry client logging) the wall-clock instant (epoch nanoseconds) at which the count first reached the target, and exits 0;
 * exits 1 after the timeout. Tombstones remove keys, so the count is of restrictions, not records.
 */
public final class PropagationCount {
    private PropagationCount() {
    }

    public static void main(String[] args) throws java.io.IOException {
        String bootstrap = null;
        String topic = null;
        String prefix = "ldap|sender|";
        long target = -1;
        long timeoutS = 600;
        java.nio.file.Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = v;
                case "--topic" -> topic = v;
                case "--prefix" -> prefix = v;
                case "--target" -> target = Long.parseLong(v);
                case "--timeout-s" -> timeoutS = Long.parseLong(v);
                case "--out" -> out = java.nio.file.Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bootstrap == null || topic == null || target < 0 || out == null) {
            throw new IllegalArgumentException("--bootstrap, --topic, --target and --out are required");
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "10000");
        p.put("fetch.max.wait.ms", "50");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            parts.forEach(c::position); // resolve now, so "ready" means ready
            System.err.println("ready");
            Set<String> live = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutS).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.key() != null && r.key().startsWith(prefix)) {
                        if (r.value() == null) {
                            live.remove(r.key());
                        } else {
                            live.add(r.key());
                        }
                    }
                }
                if (live.size() >= target) {
                    Instant now = Instant.now();
                    java.nio.file.Files.writeString(out, (now.getEpochSecond() * 1_000_000_000L + now.getNano()) + "\n");
                    System.err.println("count " + live.size());
                    return;
                }
            }
            System.err.println("timed out with " + live.size() + " of " + target);
            System.exit(1);
        }
    }
}
