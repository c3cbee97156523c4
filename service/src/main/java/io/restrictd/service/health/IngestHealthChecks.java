package io.restrictd.service.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.restrictd.service.ingest.IngestFactory;
import io.restrictd.service.ingest.IngestStatus;
import io.restrictd.service.store.StoreDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The node's health checks. Unhealthy means "look at me", never "stop answering": lookups are served
 * from the store whatever these say (apart from readiness, which the lookup path checks itself).
 */
public final class IngestHealthChecks {
    private static final Duration SKIP_WINDOW = Duration.ofHours(1);

    private IngestHealthChecks() {
    }

    public static void register(HealthCheckRegistry registry, StoreDirectory stores, Supplier<IngestStatus> status,
            IngestFactory settings, Clock clock) {
        Duration staleAfter = settings.getStaleAfter().toJavaDuration();
        registry.register("store", check(() -> {
            long size = stores.current().size();
            String storeError = status.get().storeError();
            if (storeError != null) {
                // Ingest retries the same batch every ingest.retryBackoff and resumes by itself once the store
                // takes writes again (space freed); lookups are answered from what is stored meanwhile.
                return HealthCheck.Result.builder().unhealthy().withMessage("ingest stopped: %s; %d restrictions"
                        + " still answered from the store, ingest resumes once it can write again", storeError, size)
                        .withDetail("restrictions", size).build();
            }
            return HealthCheck.Result.builder().healthy().withMessage("%d restrictions in %s", size,
                    stores.current().location()).withDetail("restrictions", size).build();
        }));
        registry.register("caught-up", check(() -> {
            IngestStatus s = status.get();
            if (s.state() == IngestStatus.State.HALTED) {
                return HealthCheck.Result.unhealthy("ingest halted: " + s.lastError());
            }
            if (!s.ready()) {
                return HealthCheck.Result.unhealthy("not ready: catching up, lag " + s.totalLag());
            }
            return HealthCheck.Result.builder().healthy().withMessage("state %s, lag %d", s.state(), s.totalLag())
                    .withDetail("lag", s.lag()).build();
        }));
        registry.register("kafka", check(() -> {
            IngestStatus s = status.get();
            if (s.kafkaReachable() && recent(s.lastKafkaOk(), staleAfter, clock)) {
                return HealthCheck.Result.healthy("last answer " + s.lastKafkaOk());
            }
            return HealthCheck.Result.unhealthy("Kafka unreachable since " + s.lastKafkaOk() + ": " + s.lastError()
                    + " (lookups still answered from the store)");
        }));
        registry.register("staleness", check(() -> {
            IngestStatus s = status.get();
            if (recent(s.syncedAt(), staleAfter, clock)) {
                return HealthCheck.Result.healthy("caught up at " + s.syncedAt());
            }
            return HealthCheck.Result.unhealthy("not confirmed caught up since " + s.syncedAt()
                    + " (ingest.staleAfter " + staleAfter + ")");
        }));
        registry.register("skipped-records", check(() -> {
            IngestStatus s = status.get();
            if (s.skipped() > 0 && recent(s.lastSkippedAt(), SKIP_WINDOW, clock)) {
                return HealthCheck.Result.builder().unhealthy()
                        .withMessage("%d bad records skipped since start; last: %s", s.skipped(), s.lastSkipped())
                        .withDetail("skipped", s.skipped()).build();
            }
            return HealthCheck.Result.builder().healthy()
                    .withMessage("%d bad records skipped since start, none in the last hour", s.skipped())
                    .withDetail("skipped", s.skipped()).build();
        }));
    }

    private static boolean recent(Instant t, Duration within, Clock clock) {
        return t != null && Duration.between(t, clock.instant()).compareTo(within) <= 0;
    }

    private static HealthCheck check(Supplier<HealthCheck.Result> body) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return body.get();
            }
        };
    }
}
