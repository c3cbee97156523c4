package io.restrictd.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place restrictd creates topics, by the rules of {@link TopicSettings}: shared by
 * {@code restrict ... --create-topic}, the syncer, {@code restrictd topics create} and all-in-one.
 * Existing topics are never altered (see {@link TopicCheck} for what is wrong with them).
 */
public final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private final KafkaClient client;
    private final TopicSettings settings;

    public Topics(KafkaClient client, TopicSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Makes sure every topic of the settings exists.
     *
     * @param create create the missing ones; when false, fail naming them
     * @return the topics this call created (empty when all existed), as created
     * @throws MissingTopicsException when {@code create} is false and topics are missing
     * @throws KafkaException         when the brokers do not answer in time or refuse (the cause says why)
     */
    public List<TopicSpec> ensure(boolean create) {
        try (Admin admin = Admin.create(client.admin("admin"))) {
            return ensure(admin, create);
        }
    }

    /** {@link #ensure(boolean)} with the caller's admin client. */
    public List<TopicSpec> ensure(Admin admin, boolean create) {
        long timeoutMs = client.requestTimeout().toMillis();
        try {
            int brokers = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            List<TopicSpec> specs = settings.specs(brokers);
            // Described by name, not listed: a listing leaves out the topics an ACL hides, which would then
            // pass for missing; a described topic is there, missing, or refused (the caller is told which).
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(specs.stream()
                    .map(TopicSpec::name).toList()).topicNameValues();
            List<TopicSpec> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (TopicCheck.describe(spec.name(), described.get(spec.name()), timeoutMs) == null) {
                    missing.add(spec);
                }
            }
            if (missing.isEmpty()) {
                return List.of();
            }
            if (!create) {
                List<String> names = missing.stream().map(TopicSpec::name).toList();
                throw new MissingTopicsException(names, (names.size() == 1 ? "topic " + names.get(0)
                        + " does not exist" : "topics " + String.join(", ", names) + " do not exist") + " on "
                        + client.bootstrapServers() + "; " + MissingTopicsException.howToCreate(missing,
                        client.bootstrapServers()));
            }
            return create(admin, missing, timeoutMs);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw AdminFailures.of(e, client.bootstrapServers(), client.requestTimeout().toMillis());
        }
    }

    private static List<TopicSpec> create(Admin admin, List<TopicSpec> missing, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, KafkaFuture<Void>> results = admin.createTopics(missing.stream().map(TopicSpec::newTopic)
                .toList()).values();
        List<TopicSpec> created = new ArrayList<>();
        for (TopicSpec spec : missing) {
            try {
                results.get(spec.name()).get(timeoutMs, TimeUnit.MILLISECONDS);
                LOG.info("created topic {}", spec.describe());
                created.add(spec);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another client creating it at the same moment is fine; anything else is not
                }
            }
        }
        return created;
    }
}
