package io.restrictd.service.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.testkit.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker on the class path the service really ships (Dropwizard's Jackson, slf4j 2 and logback,
 * Scala 2.13, no log4j): formats, serves transactions to read_committed consumers, keeps its log across a
 * restart, and refuses a second instance on the same directory.
 */
class EmbeddedBrokerIT {
    @TempDir
    Path dir;

    private EmbeddedBroker broker() {
        return new EmbeddedBroker(dir.resolve("kafka"), "127.0.0.1", FreePort.find(), FreePort.find(), Map.of());
    }

    @Test
    void shouldServeTransactionsAndKeepTheLogAcrossARestart() throws Exception {
        EmbeddedBroker first = broker();
        first.start();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", first.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", first.bootstrapServers());
            p.put("transactional.id", "it");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k1", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k2", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }
            assertThat(readCommitted(first.bootstrapServers())).containsExactly("k1=committed");
        } finally {
            first.stop();
        }
        EmbeddedBroker second = new EmbeddedBroker(dir.resolve("kafka"), "127.0.0.1", FreePort.find(),
                FreePort.find(), Map.of());
        second.start();
        try {
            assertThat(readCommitted(second.bootstrapServers())).containsExactly("k1=committed");
        } finally {
            second.stop();
        }
    }

    @Test
    void shouldRefuseASecondInstanceOnTheSameDirectoryNamingIt() {
        EmbeddedBroker first = broker();
        first.lock();
        try {
            assertThatThrownBy(() -> broker().lock()).isInstanceOf(AllInOneException.class)
                    .hasMessageContaining(dir.resolve("kafka").toString())
                    .hasMessageContaining("in use by another restrictd all-in-one");
        } finally {
            first.stop();
        }
        EmbeddedBroker again = broker();
        again.lock(); // released by stop(): a restart takes it
        again.stop();
    }

    private static List<String> readCommitted(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("t", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.key() + "=" + r.value());
                }
            }
        }
        return out;
    }
}
