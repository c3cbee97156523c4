package io.restrictd.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.restrictd.service.health.IngestHealthChecks;
import io.restrictd.service.store.StoreDirectory;
import io.restrictd.service.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be written (a full disk) stops ingest: the store health check says so until a write succeeds. */
class IngestTrackerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldReportAFailingStoreInHealthUntilAWriteSucceeds() {
        IngestTracker tracker = new IngestTracker(true, NOW);
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            HealthCheckRegistry registry = new HealthCheckRegistry();
            IngestHealthChecks.register(registry, stores, tracker::snapshot, new IngestFactory(),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            assertThat(registry.runHealthCheck("store").isHealthy()).isTrue();

            tracker.failed(new StoreException("cannot commit to store " + dir + ": No space left on device",
                    new IOException("No space left on device")));
            HealthCheck.Result full = registry.runHealthCheck("store");
            assertThat(full.isHealthy()).isFalse();
            assertThat(full.getMessage()).contains("ingest stopped", dir.toString(), "No space left on device");
            assertThat(tracker.snapshot().storeError()).contains("No space left on device");

            tracker.failed(new TimeoutException("broker gone"));
            assertThat(registry.runHealthCheck("store").isHealthy()).as("still no write since").isFalse();

            tracker.applied(10);
            assertThat(registry.runHealthCheck("store").isHealthy()).as("a commit went through").isTrue();
            assertThat(tracker.snapshot().storeError()).isNull();
        }
    }
}
