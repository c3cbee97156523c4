package io.restrictd.service.allinone;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.restrictd.service.RestrictdApplication;
import io.restrictd.syncer.SyncerComponents;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.publish.Topics;
import io.restrictd.syncer.source.Syncer;
import java.time.Clock;

/**
 * All-in-one's composition: the embedded broker, the lookup node exactly as {@link RestrictdApplication}
 * composes it, and the syncer exactly as {@link SyncerComponents} composes it, in one process. Nothing here
 * is a second copy of the node or the syncer: only the broker and the order are all-in-one's own.
 *
 * <p>Start order (Dropwizard starts managed objects in the order they are added, and stops them in reverse):
 * the data directory is locked first (a second instance fails before it listens anywhere), then the broker
 * starts, the topics are made sure of (restrictd's topic rules), the node starts (its store opens and serves
 * at once; ingest follows the broker), and last the syncer. Stop: syncer, node, broker.
 */
public final class AllInOneApplication extends Application<AllInOneConfiguration> {
    private final Clock clock;

    public AllInOneApplication(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String getName() {
        return "restrictd all-in-one";
    }

    @Override
    public void run(AllInOneConfiguration config, Environment environment) throws Exception {
        EmbeddedBroker broker;
        SyncerSettings settings;
        try {
            broker = config.broker.build();
            settings = config.syncerSettings(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new AllInOneException("configuration: " + e.getMessage());
        }
        broker.lock();
        environment.lifecycle().manage(broker);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() throws Exception {
                Topics.ensure(settings.kafka());
            }
        });
        environment.healthChecks().register("broker", broker.healthCheck());

        new RestrictdApplication(clock).run(config, environment);

        Syncer syncer = SyncerComponents.build(settings, clock, environment.metrics());
        SyncerService service = new SyncerService(syncer);
        environment.lifecycle().manage(service);
        environment.healthChecks().register("syncer", service.healthCheck());
    }
}
