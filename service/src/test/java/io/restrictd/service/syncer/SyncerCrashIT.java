package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.LdapFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real syncer process while it publishes the initial refresh of 20,000 restricted entries (its
 * records are on the broker, the transaction not yet committed) → after a restart a read_committed consumer
 * sees every restriction the directory holds, each key published exactly once, nothing lost.
 */
class SyncerCrashIT {
    static final int ENTRIES = 20_000;
    static final String PREFIX = "crash";
    static final String TOPIC = PREFIX + ".restrictions";

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    @RegisterExtension
    static LdapFixture slapd = Fixtures.openLdap(BulkDirectory.ldif("crash", ENTRIES));

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryRestrictionExactlyOnceAfterAKillDuringTheFirstTransaction() throws Exception {
        Set<String> expected = BulkDirectory.expectedKeys(slapd);
        assertThat(expected).hasSize(2 * ENTRIES);
        try (SyncerProcess s = new SyncerProcess("crash", dir, "crash", kafka.bootstrapServers(), slapd.url(),
                slapd.rootPassword(), PREFIX)) {
            s.start();
            long uncommitted = awaitUncommittedRecords(Duration.ofMinutes(2));
            s.kill9();
            CommittedView atKill = CommittedView.read(kafka.bootstrapServers(), TOPIC);
            System.out.printf("SyncerCrashIT: killed with %d records written, %d of them committed%n", uncommitted,
                    atKill.records());

            s.start();
            Eventually.within(Duration.ofMinutes(3), s::logContext, () -> assertThat(s.health().phase()).isEqualTo("persist"));
            Eventually.within(Duration.ofMinutes(1), s::logContext, () -> assertThat(CommittedView.read(kafka.bootstrapServers(),
                    TOPIC).values()).hasSize(expected.size()));
            CommittedView after = CommittedView.read(kafka.bootstrapServers(), TOPIC);
            assertThat(after.values().keySet()).isEqualTo(expected);
            assertThat(after.records()).as("each restriction committed exactly once").isEqualTo(expected.size());
        }
    }

    /** Waits until restriction records are on the broker (read_uncommitted end offsets above zero). */
    private static long awaitUncommittedRecords(Duration limit) throws InterruptedException {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("allow.auto.create.topics", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        long deadline = System.nanoTime() + limit.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    var infos = c.partitionsFor(TOPIC, Duration.ofSeconds(5));
                    if (infos != null && !infos.isEmpty()) {
                        long end = c.endOffsets(infos.stream().map(i -> new TopicPartition(TOPIC, i.partition()))
                                .toList(), Duration.ofSeconds(5)).values().stream().mapToLong(Long::longValue).sum();
                        if (end > 0) {
                            return end;
                        }
                    }
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // the syncer has not created the topic yet, or a loaded broker answered late: ask again
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("no record reached " + TOPIC + " within " + limit);
    }
}
