package io.restrictd.service.allinone;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.restrictd.syncer.source.Syncer;
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
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("restrictd all-in-one: " + describe(e));
        cli.getStdErr().flush();
    }

    /** One line: what the operator must fix. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof AllInOneException) && !(t instanceof ConfigurationException)
                && !(t instanceof java.net.BindException)) {
            t = t.getCause();
        }
        if (t instanceof AllInOneException || t instanceof ConfigurationException) {
            return t.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .takeWhile(l -> !l.startsWith("at:") && !l.startsWith("^"))
                    .reduce((a, b) -> a + " " + b).orElse(t.toString());
        }
        if (t instanceof java.net.BindException || t instanceof java.io.IOException) {
            String m = e.getMessage() != null && e.getMessage().contains(":") ? e.getMessage() : t.getMessage();
            return "cannot listen: " + m + " (is another restrictd or another server using that port?)";
        }
        return Syncer.oneLine(t);
    }
}
