package io.restrictd.service.syncer;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.LdapFatalException;
import io.restrictd.syncer.source.Syncer;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code restrictd syncer CONFIG}: follows the directory and publishes restriction events until stopped
 * (SIGTERM). A configuration or credential error ends it with exit code 2 and one line naming the setting.
 */
public class SyncerCommand extends ConfiguredCommand<SyncerConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(SyncerCommand.class);

    public SyncerCommand() {
        super("syncer", "follow the directory and publish restriction events (see ops/config/syncer.yml)");
    }

    @Override
    protected Class<SyncerConfiguration> getConfigurationClass() {
        return SyncerConfiguration.class;
    }

    @Override
    protected void run(Bootstrap<SyncerConfiguration> bootstrap, Namespace namespace, SyncerConfiguration config)
            throws Exception {
        SyncerSettings settings;
        try {
            settings = config.toSettings(System.getenv());
        } catch (IllegalArgumentException e) {
            fail("configuration: " + e.getMessage());
            return;
        }
        Syncer syncer;
        try {
            syncer = new Syncer(settings, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            fail("configuration: " + e.getMessage());
            return;
        }
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            syncer.close();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "syncer-shutdown"));
        LOG.info("syncer {} starting: mode {}, {}", settings.id(), settings.mode(), settings.ldap());
        try {
            syncer.run();
        } catch (LdapFatalException e) {
            fail(e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println("restrictd syncer: " + message);
        System.err.flush();
        System.exit(2);
    }
}
