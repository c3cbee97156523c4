package io.restrictd.service.syncer;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.service.health.TopicHealthCheck;
import io.restrictd.syncer.SyncerComponents;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.LdapFatalException;
import io.restrictd.syncer.source.Syncer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code restrictd syncer CONFIG}: follows the directory and publishes restriction events until stopped
 * (SIGTERM), with health and metrics on {@code syncer.adminListen}. {@code syncer --check CONFIG} only
 * validates the configuration (no connection is made) and exits.
 *
 * <p>Exit codes: 0 stopped by a signal (or {@code --check} passed); {@value #EXIT_CONFIG} a configuration or
 * credential error ({@code --check} failed, the directory refused the bind, a certificate is not trusted, ...);
 * {@value #EXIT_UNEXPECTED} an unexpected error (a defect, or something the directory sent that the syncer
 * cannot handle). Either failure is one line on stderr naming the cause, and the process exits at once.
 */
public class SyncerCommand extends ConfiguredCommand<SyncerConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(SyncerCommand.class);
    private static final String CHECK = "check";
    /** Configuration or credentials: fix the setting named in the message. */
    public static final int EXIT_CONFIG = 2;
    /** An unexpected error: the message names it and where it was thrown; the log has the stack trace at DEBUG. */
    public static final int EXIT_UNEXPECTED = 3;

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
        InetSocketAddress admin;
        Syncer syncer;
        try {
            settings = config.toSettings(System.getenv());
            admin = config.adminAddress();
            // Built before --check answers: building reads the trust store, which a check must verify too.
            syncer = SyncerComponents.build(settings, Clock.systemUTC(), bootstrap.getMetricRegistry());
        } catch (IllegalArgumentException e) {
            exit(EXIT_CONFIG, "configuration: " + e.getMessage());
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
                        settings.mode().name().toLowerCase(java.util.Locale.ROOT), syncer.status(),
                        bootstrap.getMetricRegistry(), topics);
            } catch (IOException e) {
                exit(EXIT_CONFIG, "syncer.adminListen: cannot listen on " + admin + ": " + e.getMessage());
                return;
            }
        }
        AtomicBoolean signalled = new AtomicBoolean();
        Thread main = Thread.currentThread();
        // On SIGTERM: stop the syncer and give the main thread time to end its transaction.
        Thread hook = new Thread(() -> {
            signalled.set(true);
            syncer.close();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "syncer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("syncer {} starting: mode {}, {}", settings.id(), settings.mode(), settings.ldap());
        int code = 0;
        String why = null;
        try {
            syncer.run();
        } catch (LdapFatalException e) {
            code = EXIT_CONFIG;
            why = e.getMessage();
        } catch (RuntimeException | Error e) {
            code = EXIT_UNEXPECTED;
            why = syncer.status().fatal();
        } finally {
            topics.stop();
            if (endpoint != null) {
                endpoint.close();
            }
        }
        if (code != 0 && !signalled.get()) {
            // Not a signal: this thread ends the process, so the hook must not wait 30 s for it.
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return; // a signal came meanwhile: the JVM is exiting already
            }
            exit(code, why);
        }
    }

    private static void exit(int code, String message) {
        System.err.println("restrictd syncer: " + message);
        System.err.flush();
        System.exit(code);
    }
}
