package io.restrictd.service.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.kafka.TopicProblem;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.kafka.TopicSpec;
import io.restrictd.kafka.Topics;
import io.restrictd.service.RestrictdConfiguration;
import io.restrictd.service.allinone.AllInOneConfiguration;
import io.restrictd.service.syncer.SyncerConfiguration;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import io.restrictd.kafka.AccessFailures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;

/**
 * {@code restrictd topics create|check --config FILE}, for operators: creates the topics a node or syncer
 * configuration names, by the shared rules, and checks existing ones. With a node configuration: the
 * restrictions and audit topics, {@code delete.retention.ms} checked against {@code ingest.maxOffline}; with a
 * syncer configuration (one with a {@code syncer:} section): those and the syncer's state and leader topics.
 * Exit 0 when every topic exists and is right, 1 when problems remain (each printed with its fix), 2 on a
 * configuration error, 3 when Kafka does not answer, 4 when it refuses (credentials, TLS, ACLs).
 */
public class TopicsCommand extends Command {

    public TopicsCommand() {
        super("topics", "create and check the Kafka topics restrictd uses");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("create", "check")
                .help("create: create missing topics, then check; check: only check");
        subparser.addArgument("--config").required(true).metavar("FILE")
                .help("a node or syncer configuration (its kafka: and syncer: sections are used)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        int code = execute(ns.getString("action"), ns.getString("config"), System.out, System.err);
        System.out.flush();
        System.err.flush();
        if (code != ExitCodes.OK) {
            System.exit(code);
        }
    }

    /** Runs one action and returns the exit code; failures are one line on {@code err}. */
    public static int execute(String action, String file, PrintStream out, PrintStream err) {
        String prefix = "restrictd topics " + action + ": ";
        Target target;
        try {
            target = target(file);
        } catch (CliFailure e) {
            err.println(prefix + e.getMessage());
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err.println(prefix + "config " + file + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        java.util.Properties properties = target.client().admin("topics-admin");
        try {
            try (Admin admin = Admin.create(properties)) {
                if (action.equals("create")) {
                    for (TopicSpec created : new Topics(target.client(), target.settings()).ensure(admin, true)) {
                        out.println("created topic " + created.describe());
                    }
                }
                TopicCheck.Report report = new TopicCheck(target.client(), target.settings(), target.maxOffline())
                        .check(admin, OptionalInt.empty());
                for (TopicProblem p : report.problems()) {
                    out.println(p);
                }
                if (!report.problems().isEmpty()) {
                    return ExitCodes.NOT_FOUND;
                }
                out.println("topics OK: " + String.join(", ", target.settings().specs(1).stream()
                        .map(TopicSpec::name).toList()) + " on " + target.client().bootstrapServers());
                return ExitCodes.OK;
            }
        } catch (KafkaException e) {
            var refused = AccessFailures.explain(e, properties, action.equals("create")
                    ? "Create, Describe or DescribeConfigs" : "Describe or DescribeConfigs");
            if (refused.isPresent()) {
                err.println(prefix + refused.get());
                return ExitCodes.REFUSED;
            }
            err.println(prefix + "Kafka unavailable at " + target.client().bootstrapServers() + ": "
                    + e.getClass().getSimpleName() + ": " + ConfigLoader.oneLine(String.valueOf(e.getMessage())));
            return ExitCodes.UNAVAILABLE;
        }
    }

    private record Target(KafkaClient client, TopicSettings settings, Duration maxOffline) {
    }

    /** A syncer's or all-in-one's configuration names the syncer's topics too; a node's only its own. */
    private static Target target(String file) {
        ConfigLoader.requireFile(file);
        switch (ConfigKind.of(Path.of(file))) {
            case SYNCER -> {
                SyncerConfiguration c = ConfigLoader.load(file, SyncerConfiguration.class);
                TopicSettings s = c.kafka().topicSettings();
                return new Target(c.kafka().client(), s, s.deleteRetention());
            }
            case ALL_IN_ONE -> {
                AllInOneConfiguration c = ConfigLoader.load(file, AllInOneConfiguration.class);
                TopicSettings s = c.syncerConfiguration().kafka().topicSettings();
                return new Target(c.getKafka().client(), s, c.getIngest().getMaxOffline().toJavaDuration());
            }
            default -> {
                RestrictdConfiguration c = ConfigLoader.load(file, RestrictdConfiguration.class);
                return new Target(c.getKafka().client(), c.getKafka().topicSettings(),
                        c.getIngest().getMaxOffline().toJavaDuration());
            }
        }
    }
}
