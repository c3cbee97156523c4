package io.restrictd.service.health;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.restrictd.service.ingest.IngestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the node's health checks judge, as metrics an alert can judge the same way: readiness, the broker's
 * reachability, when the store was last confirmed caught up (staleness is {@code time() -} that), the ingest
 * state and rebuilds. One {@link IngestStatus} snapshot per scrape, so the values agree with each other.
 */
final class IngestStatusCollector implements MultiCollector {
    private final Supplier<IngestStatus> status;

    IngestStatusCollector(Supplier<IngestStatus> status) {
        this.status = status;
    }

    @Override
    public MetricSnapshots collect() {
        IngestStatus s = status.get();
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("restrictd_ready", "1 once the node answers lookups (caught up once, or started with a "
                + "store); 0 while it answers the not-ready reply", s.ready() ? 1 : 0));
        out.add(gauge("restrictd_kafka_reachable", "1 if the node's last call to the broker succeeded",
                s.kafkaReachable() ? 1 : 0));
        out.add(gauge("restrictd_ingest_synced_timestamp_seconds", "Unix time the store was last confirmed caught "
                + "up with the topic, 0 if never (staleness: time() minus this)", seconds(s.syncedAt())));
        out.add(gauge("restrictd_ingest_last_kafka_ok_timestamp_seconds",
                "Unix time a call to the broker last succeeded, 0 if never", seconds(s.lastKafkaOk())));
        var state = GaugeSnapshot.builder().name("restrictd_ingest_state")
                .help("1 for what ingest is doing now (starting, catching_up, following, rebuilding, halted, "
                        + "retrying, stopped), 0 for the others");
        for (IngestStatus.State each : IngestStatus.State.values()) {
            state.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("state", each.name().toLowerCase(java.util.Locale.ROOT)))
                    .value(each == s.state() ? 1 : 0).build());
        }
        out.add(state.build());
        out.add(CounterSnapshot.builder().name("restrictd_store_rebuilds")
                .help("Store rebuilds from the start of the topic since start (position lost or offline too long)")
                .dataPoint(CounterDataPointSnapshot.builder().value(s.rebuilds()).build()).build());
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static double seconds(Instant at) {
        return at == null ? 0 : at.toEpochMilli() / 1000.0;
    }
}
