package io.restrictd.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.restrictd.service.ingest.IngestStatus;
import io.restrictd.service.protocol.net.ProtocolMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node's Prometheus text: names, help, units, labels and the summaries' _sum, without a server. */
class PrometheusMetricsTest {
    private static final IngestStatus STATUS = new IngestStatus(IngestStatus.State.FOLLOWING, true, true,
            Instant.ofEpochSecond(1_700_000_000), Instant.ofEpochSecond(1_700_000_001), Map.of(0, 3L, 1, 4L),
            10, 2, "t/0/5: bad", null, null, 1, null);

    private static String scrape(MetricRegistry metrics) {
        return new String(PrometheusMetrics.text(PrometheusMetrics.node(metrics, () -> STATUS)),
                StandardCharsets.UTF_8);
    }

    @Test
    void shouldExportLookupLatencyAsASummaryInSecondsWithSumAndCount() {
        MetricRegistry metrics = new SummingMetricRegistry();
        ProtocolMetrics socketmap = new ProtocolMetrics(metrics, "socketmap");
        metrics.timer(socketmap.name("lookup")).update(Duration.ofMillis(2));
        metrics.timer(socketmap.name("lookup")).update(Duration.ofMillis(4));

        String text = scrape(metrics);

        assertThat(text).contains("# TYPE restrictd_lookup_duration_seconds summary",
                "restrictd_lookup_duration_seconds_count{protocol=\"socketmap\"} 2",
                "restrictd_lookup_duration_seconds_sum{protocol=\"socketmap\"} 0.006",
                "restrictd_lookup_duration_seconds{protocol=\"socketmap\",quantile=\"0.99\"} 0.004");
    }

    @Test
    void shouldLabelLookupAnswersByProtocolAndAnswerUnderOneName() {
        MetricRegistry metrics = new SummingMetricRegistry();
        new ProtocolMetrics(metrics, "socketmap");
        new ProtocolMetrics(metrics, "policy");
        metrics.meter("restrictd.policy.restricted").mark(3);

        String text = scrape(metrics);

        assertThat(text).contains("restrictd_lookups_total{answer=\"restricted\",protocol=\"policy\"} 3",
                "restrictd_lookups_total{answer=\"not_restricted\",protocol=\"socketmap\"} 0",
                "restrictd_connections_timed_out_total{protocol=\"policy\"} 0");
        assertThat(text.lines().filter(l -> l.equals("# TYPE restrictd_lookups_total counter"))).hasSize(1);
    }

    @Test
    void shouldDescribeEveryRestrictdMetricAndNotExportForeignDropwizardOnes() {
        MetricRegistry metrics = new SummingMetricRegistry();
        new ProtocolMetrics(metrics, "socketmap");
        metrics.meter("restrictd.ingest.applied");
        metrics.counter("restrictd.ingest.skipped");
        metrics.timer("restrictd.store.commit");
        metrics.gauge("restrictd.ingest.lag", () -> () -> 7L);
        metrics.gauge("restrictd.store.size", () -> () -> 5);
        metrics.timer("io.dropwizard.jetty.requests");

        String text = scrape(metrics);

        List<String> names = text.lines().filter(l -> l.startsWith("# TYPE restrictd_"))
                .map(l -> l.split(" ")[2]).toList();
        assertThat(names).contains("restrictd_ingest_applied_records_total", "restrictd_ingest_skipped_records_total",
                "restrictd_store_commit_duration_seconds", "restrictd_ingest_lag_records", "restrictd_store_restrictions",
                "restrictd_ready", "restrictd_ingest_synced_timestamp_seconds", "restrictd_ingest_state");
        for (String name : names) {
            assertThat(text).as(name).containsPattern("(?m)^# HELP " + name + " \\S.{20,}$");
        }
        assertThat(text).doesNotContain("Not described yet", "jetty").contains("jvm_memory_used_bytes");
    }

    @Test
    void shouldExportTheIngestStateTheHealthChecksJudge() {
        String text = scrape(new SummingMetricRegistry());

        assertThat(text).contains("restrictd_ready 1", "restrictd_kafka_reachable 1",
                "restrictd_ingest_synced_timestamp_seconds 1.700000001E9",
                "restrictd_ingest_state{state=\"following\"} 1", "restrictd_ingest_state{state=\"halted\"} 0",
                "restrictd_store_rebuilds_total 1");
    }

    @Test
    void shouldExportAnUndescribedMetricWithHelpThatSaysSo() {
        MetricRegistry metrics = new MetricRegistry(); // a plain registry: timers without a total
        metrics.timer("restrictd.new-thing").update(1, TimeUnit.SECONDS);

        String text = scrape(metrics);

        assertThat(text).contains("# HELP restrictd_new_thing_seconds Not described yet (Dropwizard metric "
                + "restrictd.new-thing)", "restrictd_new_thing_seconds_count 1")
                .doesNotContain("restrictd_new_thing_seconds_sum");
        assertThat(Arrays.asList(text.split("\n"))).noneMatch(l -> l.startsWith("restrictd_lookups"));
    }
}
