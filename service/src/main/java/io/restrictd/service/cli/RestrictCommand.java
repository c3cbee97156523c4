package io.restrictd.service.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.service.RestrictdConfiguration;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.helper.HelpScreenException;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import net.sourceforge.argparse4j.inf.ArgumentParserException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.slf4j.LoggerFactory;

/**
 * {@code restrictd restrict <add|lift|show|list|import> ... --config FILE}: the abuse desk's tool.
 *
 * <p>Failures an operator can cause (bad option, bad file, bad config, broker down) print one line
 * on stderr and exit with a code from {@link ExitCodes}. Under the launcher a non-zero code ends the
 * JVM with {@code System.exit}; {@link #execute(String[], CliContext)} returns it instead, for tests.
 */
public class RestrictCommand extends Command {
    static final String SUB = "restrict-sub";
    private static final String EPILOG = """
            Writes go to kafka.topic (record key source|kind|subject) with an audit record on \
            kafka.auditTopic, in one Kafka transaction. add and import refuse to create missing topics \
            unless --create-topic is given (then the restrictions topic is created compacted). \
            Exit codes: 0 ok; 1 nothing found or nothing to do; 2 usage, validation or configuration \
            error; 3 Kafka unavailable (worth retrying); 4 Kafka refused the credentials, the TLS handshake or an \
            ACL (docs/kafka-security.md).""";

    private final List<SubCommand> subCommands = List.of(new AddRestriction(), new LiftRestriction(),
            new ShowRestrictions(), new ListRestrictions(), new ImportRestrictions());
    private final Supplier<CliContext> context;

    public RestrictCommand() {
        this(CliContext::system);
    }

    RestrictCommand(Supplier<CliContext> context) {
        super("restrict", "add, lift, show, list and import sender and login restrictions");
        this.context = context;
    }

    @Override
    public void configure(Subparser subparser) {
        configureParser(subparser);
    }

    private Map<String, Subparser> configureParser(ArgumentParser parser) {
        Map<String, Subparser> parsers = new LinkedHashMap<>();
        parser.description(getDescription()).epilog(EPILOG);
        Subparsers subs = parser.addSubparsers().title("sub-commands").metavar("SUB-COMMAND");
        for (SubCommand sub : subCommands) {
            Subparser p = subs.addParser(sub.name()).help(sub.help()).setDefault(SUB, sub);
            p.addArgument("--config").metavar("FILE").help("the node's YAML configuration (required; uses kafka:)");
            p.addArgument("--source").help(sub.writes()
                    ? "source the restriction belongs to (default: abuse)"
                    : "only this source (default: all)");
            if (sub.writes()) {
                p.setDefault("source", "abuse");
            }
            sub.configure(p);
            parsers.put(sub.name(), p);
        }
        return parsers;
    }

    /** Adds {@code --kind} and {@code --subject}. */
    static void addKey(Subparser p) {
        p.addArgument("--kind").help("sender or login (required)");
        p.addArgument("--subject").help("user@domain, user@, domain, .domain, <> or a login (required)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) {
        quietKafkaLogging();
        int code = execute(ns, context.get());
        System.out.flush();
        System.err.flush();
        if (code != ExitCodes.OK) {
            System.exit(code);
        }
    }

    /** Parses {@code args} (what follows {@code restrict}) as the launcher would, runs, and returns the exit code. */
    public static int execute(String[] args, CliContext ctx) {
        RestrictCommand command = new RestrictCommand(() -> ctx);
        ArgumentParser parser = ArgumentParsers.newFor("restrictd restrict").build();
        command.configureParser(parser);
        Namespace ns;
        try {
            ns = parser.parseArgs(args);
        } catch (HelpScreenException e) {
            return ExitCodes.OK;
        } catch (ArgumentParserException e) {
            PrintWriter err = new PrintWriter(ctx.err(), true);
            parser.handleError(e, err);
            err.flush();
            return ExitCodes.USAGE;
        }
        return command.execute(ns, ctx);
    }

    /** The full help: the command's, then each sub-command's. */
    public static String usage() {
        RestrictCommand command = new RestrictCommand(CliContext::system);
        ArgumentParser parser = ArgumentParsers.newFor("restrictd restrict").build();
        Map<String, Subparser> subs = command.configureParser(parser);
        StringBuilder out = new StringBuilder(parser.formatHelp());
        subs.values().forEach(p -> out.append('\n').append(p.formatHelp()));
        return out.toString();
    }

    /** Runs parsed arguments and returns the exit code; prints failures as one line on stderr. */
    int execute(Namespace ns, CliContext ctx) {
        SubCommand sub = ns.get(SUB);
        String prefix = "restrict " + sub.name() + ": ";
        try {
            RestrictdConfiguration config = ConfigLoader.load(ns.getString("config"));
            return sub.run(ns, config.getKafka(), ctx);
        } catch (FieldException e) {
            ctx.err().println(prefix + e.asOption());
            return ExitCodes.USAGE;
        } catch (InvalidEventException e) {
            ctx.err().println(prefix + e.getMessage());
            return ExitCodes.USAGE;
        } catch (CliFailure e) {
            ctx.err().println(prefix + e.getMessage());
            return e.exitCode();
        }
    }

    /** Reports records that broke the contract; they are skipped, never shown as restrictions. */
    static void warn(CliContext ctx, RestrictionView view) {
        List<String> problems = view.problems();
        for (String p : problems.subList(0, Math.min(10, problems.size()))) {
            ctx.err().println("warning: skipped " + p);
        }
        if (problems.size() > 10) {
            ctx.err().println("warning: ... and " + (problems.size() - 10) + " more bad records");
        }
    }

    /** The clients' connection warnings would bury the one line that says what failed. */
    private static void quietKafkaLogging() {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
