package io.restrictd.service.allinone;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Environment;
import io.restrictd.service.ServiceStart;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code restrictd all-in-one CONFIG}: broker, syncer and lookup node in one process (see
 * {@link AllInOneApplication}). A failure to start is one line on stderr naming the setting, file or port at
 * fault, and a non-zero exit; the process never stays half-started (the JVM exits, taking whatever had
 * started with it).
 */
public final class AllInOneCommand extends ServerCommand<AllInOneConfiguration> {
    public AllInOneCommand(Clock clock) {
        super(new AllInOneApplication(clock), "all-in-one",
                "run the embedded Kafka broker, the syncer and the lookup node in one process"
                        + " (see ops/config/all-in-one.yml)");
    }

    @Override
    protected void run(Environment environment, Namespace namespace, AllInOneConfiguration configuration)
            throws Exception {
        super.run(environment, namespace, configuration);
        ServiceStart.started();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("restrictd all-in-one: " + ServiceStart.describe(e));
        cli.getStdErr().flush();
    }
}
