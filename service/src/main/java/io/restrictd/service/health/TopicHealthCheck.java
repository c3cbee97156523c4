package io.restrictd.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.kafka.TopicProblem;
import io.restrictd.kafka.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics' configuration, as health: unhealthy while {@link TopicCheck} finds a problem (a restrictions
 * topic that is not compacted or does not exist, replication factor 1 on several brokers, a
 * {@code delete.retention.ms} shorter than {@code ingest.maxOffline}, a partition count that changed since
 * this process first saw it), each with its fix. Used by the lookup node and the syncer.
 *
 * <p>The check runs on its own thread at start and every {@code interval}; {@link #check()} returns the last
 * result and never waits for Kafka, so it delays neither start-up nor a health request. Until the first
 * check has finished it is healthy and says so. Lookups never depend on it.
 */
public final class TopicHealthCheck extends HealthCheck implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(TopicHealthCheck.class);
    /** How often the topics' configuration is read again. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final KafkaClient client;
    private final TopicCheck check;
    private final Supplier<OptionalInt> storedPartitions;
    private final Duration interval;
    private static final Duration RETRY = Duration.ofSeconds(10);

    private volatile Result last = Result.healthy("topics not checked yet");
    private volatile String lastError;
    private volatile String lastLogged = "";
    private OptionalInt known = OptionalInt.empty();
    private ScheduledExecutorService executor;

    /**
     * @param check            what to check (a node: {@link TopicCheck#restrictionsOnly}; the syncer: all its topics)
     * @param storedPartitions the restrictions topic's partition count as this process stored it, or empty
     */
    public TopicHealthCheck(KafkaClient client, TopicCheck check, Supplier<OptionalInt> storedPartitions,
            Duration interval) {
        this.client = client;
        this.check = check;
        this.storedPartitions = storedPartitions;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "restrictd-topic-check");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::runAndReschedule);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void runAndReschedule() {
        runCheck();
        boolean answered = lastError == null;
        // Soon again while Kafka does not answer, so health reflects a repaired topic quickly after an outage.
        long delay = answered ? interval.toMillis() : Math.min(interval.toMillis(), RETRY.toMillis());
        ScheduledExecutorService e = executor;
        if (e != null && !e.isShutdown()) {
            e.schedule(this::runAndReschedule, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected Result check() {
        return last;
    }

    /** Reads the topics' configuration once and records the result; public for tests and one-shot callers. */
    public Result runCheck() {
        Result result;
        try (Admin admin = Admin.create(client.admin("topic-check"))) {
            if (known.isEmpty()) {
                known = storedPartitions.get();
            }
            TopicCheck.Report report = check.check(admin, known);
            if (known.isEmpty()) {
                known = report.partitions(); // from now on a change is a problem
            }
            result = result(report.problems());
            lastError = null;
        } catch (RuntimeException e) {
            // Whether Kafka answers is the "kafka" check's business: keep what the last answer said.
            lastError = "no answer from " + client.bootstrapServers() + ": " + e;
            Result previous = last;
            ResultBuilder b = Result.builder().withMessage(previous.getMessage().replaceFirst(" \\(last check failed.*",
                    "") + " (last check failed: " + lastError + ")").withDetail("lastCheckError", lastError);
            result = (previous.isHealthy() ? b.healthy() : b.unhealthy()).build();
        }
        last = result;
        if (!result.isHealthy() && !result.getMessage().equals(lastLogged)) {
            LOG.warn("{}", result.getMessage());
        }
        lastLogged = result.isHealthy() ? "" : result.getMessage();
        return result;
    }

    private static Result result(List<TopicProblem> problems) {
        if (problems.isEmpty()) {
            return Result.healthy("topics exist and are configured as restrictd needs");
        }
        return Result.builder().unhealthy().withMessage(TopicCheck.summary(problems))
                .withDetail("problems", problems.stream().map(TopicProblem::toString).toList()).build();
    }
}
