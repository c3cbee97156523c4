package io.restrictd.service.health;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * restrictd's own Dropwizard metrics ({@link MetricCatalog#ours}) as Prometheus snapshots, named, typed and
 * described by the {@link MetricCatalog}: gauges as gauges, counters and meters as counters, timers as summaries
 * in seconds with quantiles 0.5, 0.9, 0.99 and 0.999 (from the timer's decaying sample, so recent minutes weigh
 * most), {@code _count}, and {@code _sum} where the timer keeps one ({@link SummingMetricRegistry}). The JVM's,
 * Jetty's and logback's Dropwizard metrics are left out: the client's own JVM metrics replace them.
 */
final class DropwizardCollector implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final MetricRegistry registry;

    DropwizardCollector(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        registry.getMetrics().forEach((name, metric) -> {
            if (!MetricCatalog.ours(name)) {
                return;
            }
            if (metric instanceof Timer timer) {
                add(families, MetricCatalog.export(name, MetricCatalog.Type.SUMMARY), timer);
            } else if (metric instanceof Counting counting) {
                add(families, MetricCatalog.export(name, MetricCatalog.Type.COUNTER), counting.getCount());
            } else if (metric instanceof Gauge<?> gauge) {
                Double value = number(gauge);
                if (value != null) {
                    add(families, MetricCatalog.export(name, MetricCatalog.Type.GAUGE), value);
                }
            }
        });
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        families.values().forEach(f -> snapshots.add(f.build()));
        return new MetricSnapshots(snapshots);
    }

    private static void add(Map<String, Family> families, MetricCatalog.Export export, double value) {
        family(families, export).values.add(new Point(Labels.of(export.labels()), value, null));
    }

    private static void add(Map<String, Family> families, MetricCatalog.Export export, Timer timer) {
        family(families, export).values.add(new Point(Labels.of(export.labels()), timer.getCount(),
                timer.getSnapshot()));
    }

    private static Family family(Map<String, Family> families, MetricCatalog.Export export) {
        return families.computeIfAbsent(export.name(), n -> new Family(export));
    }

    /** A gauge's value as a number, or null when it has none now (it is then left out, not reported as 0). */
    private static Double number(Gauge<?> gauge) {
        Object value;
        try {
            value = gauge.getValue();
        } catch (RuntimeException e) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return value instanceof Boolean b ? (b ? 1.0 : 0.0) : null;
    }

    /** One data point: a value (gauge, counter) or a count and sample (timer). */
    private record Point(Labels labels, double value, Snapshot sample) {
    }

    /** The data points of one Prometheus name, e.g. a protocol's lookups and the other's. */
    private static final class Family {
        private final MetricCatalog.Export export;
        private final List<Point> values = new ArrayList<>();

        Family(MetricCatalog.Export export) {
            this.export = export;
        }

        MetricSnapshot build() {
            return switch (export.type()) {
                case GAUGE -> {
                    var b = GaugeSnapshot.builder().name(export.name()).help(export.help());
                    values.forEach(p -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(p.labels())
                            .value(p.value()).build()));
                    yield b.build();
                }
                case COUNTER -> {
                    var b = CounterSnapshot.builder().name(export.name()).help(export.help());
                    values.forEach(p -> b.dataPoint(CounterDataPointSnapshot.builder().labels(p.labels())
                            .value(p.value()).build()));
                    yield b.build();
                }
                case SUMMARY -> {
                    var b = SummarySnapshot.builder().name(export.name()).help(export.help()).unit(Unit.SECONDS);
                    values.forEach(p -> b.dataPoint(summary(p)));
                    yield b.build();
                }
            };
        }

        private static SummaryDataPointSnapshot summary(Point p) {
            List<Quantile> quantiles = new ArrayList<>(QUANTILES.length);
            for (double q : QUANTILES) {
                quantiles.add(new Quantile(q, p.sample().getValue(q) / NANOS_PER_SECOND));
            }
            var b = SummaryDataPointSnapshot.builder().labels(p.labels()).quantiles(Quantiles.of(quantiles))
                    .count((long) p.value());
            if (p.sample() instanceof SummingMetricRegistry.SummedSnapshot summed) {
                b.sum(summed.sum() / NANOS_PER_SECOND);
            }
            return b.build();
        }
    }
}
