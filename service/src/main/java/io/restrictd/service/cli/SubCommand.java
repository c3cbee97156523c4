package io.restrictd.service.cli;

import io.restrictd.service.config.KafkaFactory;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** One {@code restrict} sub-command: its options, and what it does with them. */
interface SubCommand {
    String name();

    /** One line for the sub-command list. */
    String help();

    /** Adds this sub-command's own options; the common ones are added by {@link RestrictCommand}. */
    void configure(Subparser parser);

    /** Whether {@code --source} defaults to {@code abuse} (writers) or filters, with no default (readers). */
    boolean writes();

    /**
     * Runs the sub-command.
     *
     * @return the exit code, see {@link ExitCodes}
     * @throws CliFailure for any failure an operator should see as one line
     */
    int run(Namespace ns, KafkaFactory kafka, CliContext ctx);
}
