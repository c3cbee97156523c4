package io.restrictd.service.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.syncer.ldap.DemoDirectory;
import io.restrictd.syncer.ldap.DemoDirectoryException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrictd demo restrict|lift MAIL}: flags or unflags a quickstart demo account in the demo
 * directory, over LDAP, as {@code ldapmodify} would — for machines without ldap-utils.
 */
public final class DemoCommand extends Command {
    public DemoCommand() {
        super("demo", "restrict or lift a quickstart demo account in the demo directory (as ldapmodify would)");
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("action").choices("restrict", "lift").help("restrict: smtpdSenderRestrictions TRUE; lift: FALSE");
        p.addArgument("mail").help("the demo account's address, e.g. bob@example.org");
        p.addArgument("--ldap-port").type(Integer.class).setDefault(10389).help("the demo directory's port (default 10389)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        boolean restrict = "restrict".equals(ns.getString("action"));
        try {
            String dn = DemoDirectory.flag("127.0.0.1", ns.getInt("ldap_port"), ns.getString("mail"), restrict);
            System.out.println("modified " + dn + ": smtpdSenderRestrictions " + (restrict ? "TRUE" : "FALSE"));
        } catch (DemoDirectoryException e) {
            System.err.println("demo: " + e.getMessage() + " (is restrictd quickstart running?)");
            System.err.flush();
            System.exit(ExitCodes.UNAVAILABLE);
        }
    }
}
