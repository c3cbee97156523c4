package io.restrictd.service;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.schema.EventCodec;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;
import io.restrictd.service.allinone.AllInOneCommand;
import io.restrictd.service.cli.CheckCommand;
import io.restrictd.service.cli.DemoCommand;
import io.restrictd.service.cli.LookupCommand;
import io.restrictd.service.quickstart.QuickstartCommand;
import io.restrictd.service.cli.RestrictCommand;
import io.restrictd.service.cli.TopicsCommand;
import io.restrictd.service.core.Resolver;
import io.restrictd.service.health.IngestHealthChecks;
import io.restrictd.service.health.PrometheusMetrics;
import io.restrictd.service.health.SummingMetricRegistry;
import io.restrictd.service.health.TopicHealthCheck;
import io.restrictd.service.ingest.RestrictionIngest;
import io.restrictd.service.resources.RestrictionResource;
import io.restrictd.service.resources.StatusResource;
import io.restrictd.service.store.StoreDirectory;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;

/** restrictd's composition root: every part is built here with plain constructors. */
public class RestrictdApplication extends Application<RestrictdConfiguration> {
    private final Clock clock;
    /** Started by {@link NodeServerCommand} before {@link #run}, which takes it over. */
    private LookupNode started;

    public RestrictdApplication() {
        this(Clock.systemUTC());
    }

    /** For tests that need to move time (expiry). */
    public RestrictdApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new RestrictdApplication().run(args);
    }

    @Override
    public String getName() {
        return "restrictd";
    }

    @Override
    public void initialize(Bootstrap<RestrictdConfiguration> bootstrap) {
        bootstrap.setMetricRegistry(new SummingMetricRegistry()); // timers with a total, for Prometheus' _sum
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addCommand(new RestrictCommand());
        bootstrap.addCommand(new io.restrictd.service.syncer.SyncerCommand());
        bootstrap.addCommand(new TopicsCommand());
        bootstrap.addCommand(new AllInOneCommand(clock));
        bootstrap.addCommand(new QuickstartCommand(clock));
        bootstrap.addCommand(new LookupCommand());
        bootstrap.addCommand(new DemoCommand());
    }

    /** Dropwizard's server command, and a check that tells node, syncer and all-in-one files apart. */
    @Override
    protected void addDefaultCommands(Bootstrap<RestrictdConfiguration> bootstrap) {
        bootstrap.addCommand(new NodeServerCommand());
        bootstrap.addCommand(new CheckCommand());
    }

    @Override
    public void run(RestrictdConfiguration config, Environment environment) throws Exception {
        LookupNode node;
        synchronized (this) {
            node = started;
            started = null;
        }
        if (node == null) { // not through NodeServerCommand (all-in-one, tests): start it now
            node = LookupNode.start(config, environment.metrics(), clock);
        }
        LookupNode lookups = node;
        // Stopped after every other managed object (Dropwizard stops them in reverse order): they all read it.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                lookups.close();
            }
        });
        StoreDirectory stores = node.stores();
        RestrictionIngest ingest = node.ingest();
        Resolver resolver = node.resolver();
        environment.lifecycle().manage(ingest);

        TopicHealthCheck topics = new TopicHealthCheck(config.getKafka().client(),
                TopicCheck.restrictionsOnly(config.getKafka().client(), config.getKafka().topicSettings(),
                        config.getIngest().getMaxOffline().toJavaDuration()),
                () -> storedPartitions(stores), TopicHealthCheck.DEFAULT_INTERVAL);
        environment.lifecycle().manage(topics);
        environment.healthChecks().register("topics", topics);
        IngestHealthChecks.register(environment.healthChecks(), stores, ingest::status, config.getIngest(), clock);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(
                PrometheusMetrics.node(environment.metrics(), ingest::status))).addMapping("/prometheus");
        environment.jersey().register(new RestrictionResource(resolver, stores.reader(), ingest, clock));
        environment.jersey().register(new StatusResource(ingest::status, stores));
    }

    /**
     * Dropwizard's {@code server} command, answering lookups sooner: the store and the protocol servers
     * ({@link LookupNode}) start as soon as the configuration is read, before Dropwizard builds Jersey and
     * Jetty, which then start around them. A restarted node answers from its store about a second earlier.
     */
    private final class NodeServerCommand extends ServerCommand<RestrictdConfiguration> {
        NodeServerCommand() {
            super(RestrictdApplication.this);
        }

        @Override
        protected void run(Bootstrap<RestrictdConfiguration> bootstrap, Namespace namespace,
                RestrictdConfiguration config) throws Exception {
            LookupNode node = LookupNode.start(config, bootstrap.getMetricRegistry(), clock);
            synchronized (RestrictdApplication.this) {
                started = node;
            }
            try {
                super.run(bootstrap, namespace, config);
            } catch (Exception | Error e) {
                node.close(); // nothing else would: no lifecycle manages it yet, or Jetty did not start
                throw e;
            }
            ServiceStart.started();
        }

        /** One line naming what to fix (a port taken, a bad setting), not a stack trace. */
        @Override
        public void onError(Cli cli, Namespace namespace, Throwable e) {
            cli.getStdErr().println("restrictd node: " + ServiceStart.describe(e));
            cli.getStdErr().flush();
        }
    }

    /** How many partitions the store's position covers: the restrictions topic's count when last caught up. */
    private static OptionalInt storedPartitions(StoreDirectory stores) {
        var position = stores.current().position();
        return position.isUnknown() ? OptionalInt.empty() : OptionalInt.of(position.nextOffsets().size());
    }
}
