package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.service.health.OpsMetricNames;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus endpoint of a real node on a real broker, after real lookups: every node metric the shipped
 * dashboards and alert rules query is there, and every restrictd metric says what it measures.
 */
class NodeMetricsIT {
    private static final String TOPIC = "restrictd.restrictions";

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    private static NodeProcess node;

    @BeforeAll
    static void startNodeAndLookUp() {
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(TOPIC + ".audit", 1, false);
        node = nodes.node(nodes.builder("metrics-node")).start();
        Eventually.await("ready", Duration.ofSeconds(60), node::status, s -> Boolean.TRUE.equals(s.get("ready")));
        CommandResult added = node.restrict("add", "--kind", "sender", "--subject", "metered@example.org",
                "--action", "REJECT metered", "--reason", "metrics test", "--actor", "it");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        Eventually.await("found", Duration.ofSeconds(15), () -> node.postmap("metered@example.org"),
                r -> r.stdout().contains("REJECT metered"));
        node.postmap("unknown@example.org");
    }

    @Test
    void shouldServeEveryNodeMetricTheDashboardsAndAlertsQuery() {
        Set<String> wanted = OpsMetricNames.referenced().stream().filter(n -> !n.startsWith("restrictd_syncer_"))
                .collect(Collectors.toSet());
        String scrape = node.prometheus();

        assertThat(wanted).contains("restrictd_ready", "restrictd_lookups_total", "jvm_memory_used_bytes");
        assertThat(OpsMetricNames.missing(scrape, wanted)).as(scrape).isEmpty();
    }

    @Test
    void shouldDescribeEveryRestrictdMetricAndCountRealLookupsWithTheirTime() {
        String scrape = node.prometheus();

        assertThat(OpsMetricNames.undescribed(scrape)).as(scrape).isEmpty();
        assertThat(scrape).containsPattern(
                "restrictd_lookups_total\\{answer=\"restricted\",protocol=\"socketmap\"} [1-9]")
                .containsPattern("restrictd_lookup_duration_seconds_sum\\{protocol=\"socketmap\"} [0-9.eE-]+")
                .containsPattern("restrictd_store_commit_duration_seconds_count [1-9]")
                .contains("restrictd_ready 1", "restrictd_store_restrictions 1");
    }
}
