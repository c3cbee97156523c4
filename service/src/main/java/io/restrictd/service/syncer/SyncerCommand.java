package io.restrictd.service.syncer;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.service.health.TopicHealthCheck;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.LdapFatalException;
import io.restrictd.syncer.source.Syncer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code restrictd syncer CONFIG}: follows the directory and publishes restriction events until stopped
 * (SIGTERM), with health and metrics on {@code syncer.adminListen}. A configuration or credential error ends
 * it with exit code 2 and one line naming the setting. {@code syncer --check CONFIG} only validates the
 * configuration (no connection is made) and exits: 0 if valid, 2 naming the setting at fault otherwise.
 */
public class SyncerCommand extends ConfiguredCommand<SyncerConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(SyncerCommand.class);
    private static final String CHECK = "check";

    public SyncerCommand() {
        super("syncer", "follow the directory and publish restriction events (see ops/config/syncer.yml)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--check").action(Arguments.storeTrue()).dest(CHECK)
                .help("validate the configuration and exit (0 valid, 2 invalid: the setting at fault is named)");
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
        InetSocketAddress admin;
        try {
            admin = config.adminAddress();
            syncer = new Syncer(settings, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            fail("configuration: " + e.getMessage());
            return;
        }
        if (Boolean.TRUE.equals(namespace.getBoolean(CHECK))) {
            System.out.println("restrictd syncer: configuration OK: id " + settings.id() + ", mode "
                    + settings.mode().name().toLowerCase(java.util.Locale.ROOT) + ", " + settings.ldap().urls()
                    + ", kafka " + settings.kafka().client().bootstrapServers() + ", admin "
                    + (admin == null ? "disabled" : admin.getHostString() + ":" + admin.getPort()));
            System.out.flush();
            return;
        }
        SyncerAdmin endpoint = null;
        TopicHealthCheck topics = new TopicHealthCheck(settings.kafka().client(), new TopicCheck(
                settings.kafka().client(), settings.kafka().topicSettings(),
                settings.kafka().topicSettings().deleteRetention()), java.util.OptionalInt::empty,
                TopicHealthCheck.DEFAULT_INTERVAL);
        if (admin != null) {
            try {
                topics.start();
                endpoint = SyncerAdmin.start(admin, settings.id(),
                        settings.mode().name().toLowerCase(java.util.Locale.ROOT), syncer.status(), topics);
            } catch (IOException e) {
                fail("syncer.adminListen: cannot listen on " + admin + ": " + e.getMessage());
                return;
            }
        }
        Thread main = Thread.currentThread();
        // On SIGTERM: stop the syncer and give the main thread time to end its transaction.
        Thread hook = new Thread(() -> {
            syncer.close();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "syncer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("syncer {} starting: mode {}, {}", settings.id(), settings.mode(), settings.ldap());
        try {
            syncer.run();
        } catch (LdapFatalException e) {
            // The main thread exits here: the hook must not wait 30 s for it to end.
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already shutting down: the hook runs regardless, and finds this thread gone soon
            }
            syncer.close();
            fail(e.getMessage());
        } finally {
            topics.stop();
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    private static void fail(String message) {
        System.err.println("restrictd syncer: " + message);
        System.err.flush();
        System.exit(2);
    }
}
