package io.restrictd.service.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.service.allinone.AllInOneConfiguration;
import io.restrictd.service.syncer.SyncerConfiguration;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrictd check FILE}: validates a lookup node's, a syncer's or all-in-one's configuration (told
 * apart by {@link ConfigKind}) exactly as starting it would, without connecting to anything, and exits: 0 and
 * one line naming the kind when valid, 2 and one line naming the setting at fault when not.
 */
public final class CheckCommand extends Command {
    public CheckCommand() {
        super("check", "validate a node, syncer or all-in-one configuration file and exit (0 valid, 2 invalid)");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("file").nargs("?").help("the YAML configuration file");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) {
        String file = namespace.getString("file");
        int code = check(file, System.getenv(), System.out, System.err);
        System.out.flush();
        System.err.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Builds (without connecting) what starting would build: this reads the LDAP trust store, for one. */
    private static void buildable(io.restrictd.syncer.SyncerSettings s) {
        io.restrictd.syncer.SyncerComponents.build(s, java.time.Clock.systemUTC(),
                new com.codahale.metrics.MetricRegistry());
    }

    /** The exit code; the verdict is one line on {@code out} (valid) or {@code err} (not). */
    static int check(String file, Map<String, String> env, PrintStream out, PrintStream err) {
        ConfigKind kind = null;
        try {
            ConfigLoader.requireFile(file);
            kind = ConfigKind.of(Path.of(file));
            String detail = switch (kind) {
                case NODE -> {
                    ConfigLoader.load(file, kind.type());
                    yield "";
                }
                case SYNCER -> {
                    SyncerConfiguration c = ConfigLoader.load(file, SyncerConfiguration.class);
                    var s = c.toSettings(env);
                    c.adminAddress();
                    buildable(s);
                    yield " (mode " + s.mode().name().toLowerCase(java.util.Locale.ROOT) + ")";
                }
                case ALL_IN_ONE -> {
                    AllInOneConfiguration c = ConfigLoader.load(file, AllInOneConfiguration.class);
                    var s = c.syncerSettings(env);
                    c.broker.build();
                    buildable(s);
                    yield " (broker " + c.broker.listen + ", directory mode "
                            + s.mode().name().toLowerCase(java.util.Locale.ROOT) + ")";
                }
            };
            out.println("restrictd check: " + file + ": " + kind.label() + " configuration OK" + detail);
            return ExitCodes.OK;
        } catch (CliFailure e) {
            err.println("restrictd check: " + e.getMessage());
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err.println("restrictd check: config " + file + " (" + kind.label() + "): " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
