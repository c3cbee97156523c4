package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.schema.AccessAction;
import io.restrictd.service.health.OpsMetricNames;
import io.restrictd.service.health.SummingMetricRegistry;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.syncer.publish.KafkaSettings;
import io.restrictd.syncer.source.Syncer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The admin endpoint of a syncer that was never run (no servers): health document, status code and metrics. */
class SyncerAdminTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** As the process's registry is (RestrictdApplication sets it): timers that keep a total. */
    private final com.codahale.metrics.MetricRegistry registry = new SummingMetricRegistry();

    private Syncer syncer() {
        Mapping mapping = new Mapping("ldap", List.of("mail"), List.of("uid"), AccessAction.parse("REJECT no"),
                null, null, null);
        LdapSettings ldap = new LdapSettings(List.of("ldap://127.0.0.1:1"), null, null, "dc=x", "sub",
                "(objectClass=*)", mapping.requestedAttributes(), false, null, null, Duration.ofSeconds(1));
        KafkaSettings kafka = new KafkaSettings(new KafkaClient("127.0.0.1:1", "unit", Duration.ofSeconds(1),
                Map.of()), new TopicSettings("t", "a", "s", "l", 1, 0, 0, Duration.ofHours(24), null));
        return io.restrictd.syncer.SyncerComponents.build(new SyncerSettings("unit", SyncerSettings.Mode.SYNCREPL,
                Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(2), ldap, mapping, kafka),
                Clock.systemUTC(), registry);
    }

    private static HttpResponse<String> get(SyncerAdmin admin, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldReportAStandbyAsHealthyWithItsRoleAndPhase() throws Exception {
        Syncer syncer = syncer();
        try (SyncerAdmin admin = SyncerAdmin.start(new InetSocketAddress("127.0.0.1", 0), "unit", "syncrepl",
                syncer.status(), registry, null)) {
            HttpResponse<String> health = get(admin, "/healthcheck");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"role\" : \"standby\"", "\"connected\" : false",
                    "\"lastCommit\" : null", "\"mode\" : \"syncrepl\"", "\"lastReconciliation\" : null",
                    "\"reconciliations\" : 0", "\"reconcileDifferences\" : 0");
        }
    }

    @Test
    void shouldExportTheSyncerMetricsInPrometheusText() throws Exception {
        Syncer syncer = syncer();
        try (SyncerAdmin admin = SyncerAdmin.start(new InetSocketAddress("127.0.0.1", 0), "unit", "syncrepl",
                syncer.status(), registry, null)) {
            HttpResponse<String> metrics = get(admin, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body()).contains("restrictd_syncer_leader 0", "restrictd_syncer_entries_seen_total 0",
                    "restrictd_syncer_events_published_total 0", "restrictd_syncer_tombstones_published_total 0",
                    "restrictd_syncer_refreshes_total 0", "restrictd_syncer_reconnects_total 0",
                    "restrictd_syncer_commit_duration_seconds_count 0",
                    "restrictd_syncer_propagation_delay_seconds_count 0", "restrictd_syncer_phase{phase=\"starting\"} 1",
                    "# HELP restrictd_syncer_leader 1 while this syncer is the leader");
        }
    }

    @Test
    void shouldServeEverySyncerMetricTheDashboardsAndAlertsQueryWithHelp() throws Exception {
        Syncer syncer = syncer();
        try (SyncerAdmin admin = SyncerAdmin.start(new InetSocketAddress("127.0.0.1", 0), "unit", "syncrepl",
                syncer.status(), registry, null)) {
            String scrape = get(admin, "/metrics").body();
            Set<String> wanted = OpsMetricNames.referenced().stream().filter(n -> n.startsWith("restrictd_syncer_"))
                    .collect(Collectors.toSet());

            assertThat(wanted).contains("restrictd_syncer_leader", "restrictd_syncer_propagation_delay_seconds");
            assertThat(OpsMetricNames.missing(scrape, wanted)).as(scrape).isEmpty();
            assertThat(OpsMetricNames.undescribed(scrape)).as(scrape).isEmpty();
        }
    }
}
