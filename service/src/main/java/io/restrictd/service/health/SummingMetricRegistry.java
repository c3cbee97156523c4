package io.restrictd.service.health;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard registry whose timers also keep the total of every duration they record, so that the Prometheus
 * export can write a summary's {@code _sum} (a reservoir keeps only a sample, and Dropwizard's timer no total).
 * The process's one registry (node, syncer, all-in-one) is of this kind: {@code RestrictdApplication} sets it.
 * Their reservoirs are lock-free: every lookup of every connection updates the protocol's timer, and the default
 * reservoir's lock made 32+ connections queue on it. Thread-safe.
 */
public class SummingMetricRegistry extends MetricRegistry {

    @Override
    public Timer timer(String name) {
        return timer(name, () -> new Timer(new SummingReservoir()));
    }

    /** A lock-free decaying reservoir that also sums every value it is given. */
    private static final class SummingReservoir implements Reservoir {
        private final Reservoir sample = LockFreeExponentiallyDecayingReservoir.builder().build();
        private final LongAdder sum = new LongAdder();

        @Override
        public int size() {
            return sample.size();
        }

        @Override
        public void update(long value) {
            sum.add(value);
            sample.update(value);
        }

        @Override
        public Snapshot getSnapshot() {
            return new SummedSnapshot(sample.getSnapshot(), sum.sum());
        }
    }

    /** A reservoir's snapshot with the total of every value ever recorded (for a timer: nanoseconds). */
    public static final class SummedSnapshot extends Snapshot {
        private final Snapshot sample;
        private final long sum;

        SummedSnapshot(Snapshot sample, long sum) {
            this.sample = sample;
            this.sum = sum;
        }

        /** The total of every value recorded since start, not only the sampled ones. */
        public long sum() {
            return sum;
        }

        @Override
        public double getValue(double quantile) {
            return sample.getValue(quantile);
        }

        @Override
        public long[] getValues() {
            return sample.getValues();
        }

        @Override
        public int size() {
            return sample.size();
        }

        @Override
        public long getMax() {
            return sample.getMax();
        }

        @Override
        public double getMean() {
            return sample.getMean();
        }

        @Override
        public long getMin() {
            return sample.getMin();
        }

        @Override
        public double getStdDev() {
            return sample.getStdDev();
        }

        @Override
        public void dump(OutputStream output) {
            sample.dump(output);
        }
    }
}
