package io.restrictd.service.cli;

import io.restrictd.kafka.MissingTopicsException;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.kafka.TopicProblem;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.kafka.TopicSpec;
import io.restrictd.service.config.KafkaFactory;
import java.io.PrintStream;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * Makes sure the restrictions and audit topics exist, and are right, before anything is published: missing
 * ones are created by the shared rules ({@link io.restrictd.kafka.Topics}) only when asked; a restrictions
 * topic that is not compacted is refused (every record published to it would expire); other problems are
 * printed as warnings with their fix.
 */
final class Topics {
    private final KafkaFactory kafka;

    Topics(KafkaFactory kafka) {
        this.kafka = kafka;
    }

    /**
     * @param create create missing topics instead of failing
     * @throws CliFailure exit 2 naming missing topics or a topic that is not compacted, exit 3 if the brokers
     *                    do not answer, exit 4 if they refuse
     */
    void ensure(boolean create, PrintStream out) {
        TopicSettings settings = settings();
        Properties properties = kafka.client().admin("cli-admin");
        try (Admin admin = Admin.create(properties)) {
            for (TopicSpec created : new io.restrictd.kafka.Topics(kafka.client(), settings).ensure(admin, create)) {
                out.println("created topic " + created.describe());
            }
            TopicCheck.Report report = new TopicCheck(kafka.client(), settings, settings.deleteRetention())
                    .check(admin, OptionalInt.empty());
            for (TopicProblem p : report.problems()) {
                if (p.kind() == TopicProblem.Kind.NOT_COMPACTED || p.kind() == TopicProblem.Kind.MISSING) {
                    throw CliFailure.usage(p + " (refusing to publish)");
                }
                out.println("warning: " + p);
            }
        } catch (MissingTopicsException e) {
            throw CliFailure.usage(e.getMessage().replaceFirst("; create (it|them) with ",
                    "; add --create-topic, or create $1 with "));
        } catch (KafkaException e) {
            throw KafkaErrors.failed(kafka, properties, "Describe or DescribeConfigs", "checking topics", e);
        }
    }

    private TopicSettings settings() {
        try {
            return kafka.topicSettings();
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }
}
