package io.restrictd.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.restrictd.schema.AccessAction;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.service.store.RestrictionStore;
import io.restrictd.service.store.StoreDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store a poll leaves behind must not depend on how its decoding was split: large polls are decoded
 * in chunks on a second thread, small ones in line. Chunk and commit sizes here are tiny and odd so that
 * chunk, commit and partition boundaries all fall in different places.
 */
class BatchApplierTest {
    private static final String TOPIC = "restrictd.restrictions";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final EventCodec CODEC = new EventCodec();
    private static final int SUBJECTS = 9;

    @TempDir
    Path dir;

    private StoreDirectory stores;
    private MetricRegistry metrics;
    private IngestTracker tracker;
    private BatchApplier applier;

    @BeforeEach
    void open() {
        stores = StoreDirectory.open(dir);
        metrics = new MetricRegistry();
        tracker = new IngestTracker(false, null);
    }

    @AfterEach
    void close() {
        if (applier != null) {
            applier.close();
        }
        stores.close();
    }

    private BatchApplier applier(IngestFactory.BadRecordPolicy policy, int maxCommitChanges, int decodeChunk) {
        IngestFactory settings = new IngestFactory();
        settings.setBadRecords(policy);
        settings.setMaxCommitChanges(maxCommitChanges);
        applier = new BatchApplier(settings, new RecordDecoder(CODEC), tracker, Clock.fixed(NOW, ZoneOffset.UTC),
                metrics, decodeChunk);
        return applier;
    }

    /** decodeChunk 1000 decodes the whole poll in line; 7 splits it into 18 chunks on the decode thread. */
    @ParameterizedTest
    @ValueSource(ints = {1000, 7})
    void shouldLeaveTheStoreAsApplyingEveryRecordInOffsetOrderWould(int decodeChunk) {
        List<ConsumerRecord<byte[], byte[]>> records = puts(0, 120); // every subject put, replaced, some lifted
        RestrictionStore store = stores.current();

        applier(IngestFactory.BadRecordPolicy.SKIP, 10, decodeChunk).apply(store, poll(records), after(records));

        assertThat(contents(store)).isEqualTo(expected(records));
        assertThat(store.position().nextOffsets()).isEqualTo(after(records));
        assertThat(metrics.meter("restrictd.ingest.applied").getCount()).isEqualTo(records.size());
        // 120 changes, at most 10 per commit, plus the final commit that records the poll's positions.
        assertThat(metrics.timer("restrictd.store.commit").getCount()).isEqualTo(13);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 7})
    void shouldSkipAndCountABadRecordAndApplyEverythingElse(int decodeChunk) {
        List<ConsumerRecord<byte[], byte[]>> records = puts(0, 60);
        ConsumerRecord<byte[], byte[]> bad = records.get(37);
        records.set(37, new ConsumerRecord<>(TOPIC, bad.partition(), bad.offset(), bad.key(),
                "{\"schema\":\"restrictd.restriction/v1\"".getBytes(StandardCharsets.UTF_8)));
        RestrictionStore store = stores.current();

        applier(IngestFactory.BadRecordPolicy.SKIP, 10, decodeChunk).apply(store, poll(records), after(records));

        List<ConsumerRecord<byte[], byte[]>> good = new ArrayList<>(records);
        good.remove(37);
        assertThat(contents(store)).isEqualTo(expected(good));
        assertThat(store.position().nextOffsets()).isEqualTo(after(records));
        assertThat(metrics.counter("restrictd.ingest.skipped").getCount()).isEqualTo(1);
        assertThat(tracker.snapshot().skipped()).isEqualTo(1);
        assertThat(tracker.snapshot().lastSkipped())
                .startsWith(TOPIC + "/" + bad.partition() + "@" + bad.offset() + ": ");
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 7})
    void shouldCommitEverythingBeforeABadRecordThenHalt(int decodeChunk) {
        List<ConsumerRecord<byte[], byte[]>> records = puts(0, 60);
        ConsumerRecord<byte[], byte[]> bad = records.get(44);
        records.set(44, new ConsumerRecord<>(TOPIC, bad.partition(), bad.offset(), bad.key(),
                "not json".getBytes(StandardCharsets.UTF_8)));
        RestrictionStore store = stores.current();
        BatchApplier halting = applier(IngestFactory.BadRecordPolicy.HALT, 10, decodeChunk);

        assertThatThrownBy(() -> halting.apply(store, poll(records), after(records)))
                .isInstanceOf(BatchApplier.HaltedException.class)
                .hasMessageStartingWith("bad record at " + TOPIC + "/" + bad.partition() + "@" + bad.offset());

        // "Before" in the order the consumer hands records over: partition by partition.
        List<ConsumerRecord<byte[], byte[]>> before = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : poll(records)) {
            if (r.partition() == bad.partition() && r.offset() == bad.offset()) {
                break;
            }
            before.add(r);
        }
        assertThat(contents(store)).isEqualTo(expected(before));
        // Restarting from the stored position reads the bad record again, and nothing after it was applied.
        assertThat(store.position().nextOffsets()).isEqualTo(after(before));
        assertThat(store.position().next(bad.partition())).isEqualTo(bad.offset());
    }

    /**
     * {@code n} records over two partitions (even indexes on 0, odd on 1), offsets from {@code first}:
     * puts of {@value #SUBJECTS} subjects round-robin with changing actions, and every fifth a lift.
     */
    private static List<ConsumerRecord<byte[], byte[]>> puts(int first, int n) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int partition = i % 2;
            long offset = first + i / 2;
            RestrictionKey key = new RestrictionKey("abuse", Kind.SENDER, "user" + (i % SUBJECTS) + "@example.org");
            byte[] value = i % 5 == 4 ? null : CODEC.encode(new Restriction(key,
                    AccessAction.parse("REJECT version " + i), "test", Map.of(), "tester", null, NOW, null));
            out.add(new ConsumerRecord<>(TOPIC, partition, offset, key.wire().getBytes(StandardCharsets.UTF_8), value));
        }
        return out;
    }

    private static ConsumerRecords<byte[], byte[]> poll(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            byPartition.computeIfAbsent(new TopicPartition(TOPIC, r.partition()), tp -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    /** Next offset per partition after {@code records}. */
    private static Map<Integer, Long> after(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, Long> next = new HashMap<>();
        records.forEach(r -> next.merge(r.partition(), r.offset() + 1, Math::max));
        return next;
    }

    /**
     * Subject → rendered action, folding {@code records} one at a time in the order a consumer returns
     * them (partition by partition, each in offset order), independently of the code under test.
     */
    private static Map<String, String> expected(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> state = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : poll(records)) {
            String subject = new String(r.key(), StandardCharsets.UTF_8).substring("abuse|sender|".length());
            if (r.value() == null) {
                state.remove(subject);
            } else {
                state.put(subject, CODEC.decodeRestriction(null, r.value()).action().render());
            }
        }
        return state;
    }

    private static Map<String, String> contents(RestrictionStore store) {
        Map<String, String> out = new HashMap<>();
        store.forEach(r -> out.put(r.key().subject(), r.action().render()));
        return out;
    }
}
