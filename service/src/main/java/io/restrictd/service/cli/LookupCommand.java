package io.restrictd.service.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.time.Duration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrictd lookup KEY}: asks a lookup node over socketmap as Postfix would ({@code postmap -q KEY
 * socketmap:inet:HOST:PORT:MAP} without Postfix) and prints the reply. Exit 0 for OK, 1 for NOTFOUND,
 * 2 for PERM (a bad request), 3 for TEMP or a node that does not answer.
 */
public final class LookupCommand extends Command {
    public LookupCommand() {
        super("lookup", "ask a lookup node over socketmap, as Postfix would, and print its answer");
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("key").help("the address (or login, with --map login) Postfix would look up");
        p.addArgument("--map").setDefault("sender").help("the socketmap map name (sender or login; default sender)");
        p.addArgument("--server").setDefault("127.0.0.1:10041")
                .help("the node's socketmap address host:port (default 127.0.0.1:10041)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        String server = ns.getString("server");
        int colon = server.lastIndexOf(':');
        int code;
        try {
            int port = Integer.parseInt(server.substring(colon + 1));
            String reply = SocketmapLookup.ask(server.substring(0, Math.max(colon, 0)), port, ns.getString("map"),
                    ns.getString("key"), Duration.ofSeconds(10));
            System.out.println(reply);
            code = reply.startsWith("OK") ? ExitCodes.OK : reply.startsWith("NOTFOUND") ? ExitCodes.NOT_FOUND
                    : reply.startsWith("PERM") ? ExitCodes.USAGE : ExitCodes.UNAVAILABLE;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            System.err.println("lookup: --server: '" + server + "' is not host:port");
            code = ExitCodes.USAGE;
        } catch (IOException e) {
            System.err.println("lookup: no answer from " + server + ": " + e.getMessage()
                    + " (is the node running? restrictd quickstart, node or all-in-one)");
            code = ExitCodes.UNAVAILABLE;
        }
        System.out.flush();
        System.err.flush();
        if (code != ExitCodes.OK) {
            System.exit(code);
        }
    }
}
