package io.restrictd.service.health;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The Prometheus registries the node and the syncer serve: restrictd's Dropwizard metrics through the
 * {@link MetricCatalog}, the state the health checks also read, and the client's JVM metrics (memory, GC,
 * threads). One registry per process role, never the client's global default: tests run several in one JVM.
 */
public final class PrometheusMetrics {
    /** The content type of {@link #text}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private PrometheusMetrics() {
    }

    /** The node's metrics: {@code metrics}' own entries, readiness and ingest state from {@code status}. */
    public static PrometheusRegistry node(MetricRegistry metrics,
            Supplier<io.restrictd.service.ingest.IngestStatus> status) {
        PrometheusRegistry registry = base(metrics);
        registry.register(new IngestStatusCollector(status));
        return registry;
    }

    /** The syncer's metrics: {@code metrics}' own entries and the phase {@code phase} names now. */
    public static PrometheusRegistry syncer(MetricRegistry metrics, Supplier<String> phase) {
        PrometheusRegistry registry = base(metrics);
        registry.register((MultiCollector) () -> MetricSnapshots.of(GaugeSnapshot.builder()
                .name("restrictd_syncer_phase")
                .help("1 for the phase the syncer is in (starting, standby, refresh, persist, poll, backoff, stopped, "
                        + "failed)")
                .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("phase", phase.get())).value(1).build())
                .build()));
        return registry;
    }

    /** {@code registry} scraped now, in Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public static byte[] text(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static PrometheusRegistry base(MetricRegistry metrics) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new DropwizardCollector(metrics));
        JvmMetrics.builder().register(registry);
        return registry;
    }
}
