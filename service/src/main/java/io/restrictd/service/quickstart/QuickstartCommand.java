package io.restrictd.service.quickstart;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrictd quickstart [--data DIR] [--ldap URL ...]}: all-in-one plus a demo directory, so a newcomer
 * sees the whole pipeline (a change in LDAP reaching Postfix's answer) with nothing installed but a JDK.
 */
public final class QuickstartCommand extends Command {
    private final Clock clock;

    public QuickstartCommand(Clock clock) {
        super("quickstart", "all-in-one with a demo directory: the whole pipeline on this machine, with nothing"
                + " but a JDK (or --ldap URL to follow a real directory)");
        this.clock = clock;
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("--data").metavar("DIR")
                .help("state directory (default $XDG_STATE_HOME/restrictd, else ~/.local/state/restrictd)");
        p.addArgument("--ldap").metavar("URL").action(Arguments.append())
                .help("follow this directory instead of the demo one (repeat for fail-over); the mode comes from its"
                        + " root DSE");
        p.addArgument("--bind-dn").metavar("DN").help("with --ldap: bind DN (default anonymous)");
        p.addArgument("--password-file").metavar("FILE").help("with --bind-dn: first line is the password");
        p.addArgument("--base").metavar("DN").help("with --ldap: search base (required)");
        p.addArgument("--filter").setDefault("(smtpdSenderRestrictions=TRUE)")
                .help("with --ldap: restricted entries (default (smtpdSenderRestrictions=TRUE))");
        p.addArgument("--demo-ldif").metavar("FILE").help("seed the demo directory from FILE (default: built in,"
                + " ops/demo/directory.ldif)");
        p.addArgument("--poll-interval").setDefault("1s").help("the demo syncer's poll interval (default 1s)");
        port(p, QuickstartOptions.SOCKETMAP, 10041);
        port(p, QuickstartOptions.POLICY, 10040);
        port(p, QuickstartOptions.HTTP, 10042);
        port(p, QuickstartOptions.ADMIN, 10043);
        port(p, QuickstartOptions.KAFKA, 10092);
        port(p, QuickstartOptions.CONTROLLER, 10093);
        port(p, QuickstartOptions.LDAP, 10389);
    }

    private static void port(Subparser p, String name, int port) {
        p.addArgument("--" + name + "-port").dest(dest(name)).type(Integer.class).setDefault(port)
                .help(name + " port on 127.0.0.1 (default " + port + ")");
    }

    private static String dest(String port) {
        return port.replace('-', '_') + "_port";
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : List.of(QuickstartOptions.SOCKETMAP, QuickstartOptions.POLICY, QuickstartOptions.HTTP,
                QuickstartOptions.ADMIN, QuickstartOptions.KAFKA, QuickstartOptions.CONTROLLER,
                QuickstartOptions.LDAP)) {
            ports.put(name, ns.getInt(dest(name)));
        }
        String data = ns.getString("data");
        List<String> urls = ns.getList("ldap");
        String passwordFile = ns.getString("password_file");
        String demoLdif = ns.getString("demo_ldif");
        QuickstartOptions options = new QuickstartOptions(
                data == null ? QuickstartOptions.defaultData(System.getenv()) : Path.of(data),
                urls == null ? List.of() : urls, ns.getString("bind_dn"),
                passwordFile == null ? null : Path.of(passwordFile), ns.getString("base"), ns.getString("filter"),
                demoLdif == null ? null : Path.of(demoLdif), ports, ns.getString("poll_interval"));
        new Quickstart(options, clock, System.getenv()).run();
    }
}
