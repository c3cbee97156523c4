package io.restrictd.service.cli;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.service.config.KafkaFactory;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrict lift}: publishes a tombstone for one key, with a LIFT audit record. Only the
 * given source's restriction is lifted: another source's on the same subject stays.
 */
final class LiftRestriction implements SubCommand {
    @Override
    public String name() {
        return "lift";
    }

    @Override
    public String help() {
        return "lift one source's restriction on a sender or login";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public void configure(Subparser p) {
        RestrictCommand.addKey(p);
        p.addArgument("--reason").help("why, for the audit trail");
        p.addArgument("--ticket").help("abuse-desk ticket reference");
        p.addArgument("--actor").help("who is doing this (default: $USER@hostname)");
        p.addArgument("--force").action(Arguments.storeTrue())
                .help("publish the lift even if the key is not restricted now (otherwise: exit 1)");
    }

    @Override
    public int run(Namespace ns, KafkaFactory kafka, CliContext ctx) {
        RestrictionKey key = Options.key(ns);
        String actor = Options.actor(ns, ctx);
        String reason = Fields.text("reason", ns.getString("reason"));
        String ticket = Fields.text("ticket", ns.getString("ticket"));
        boolean force = Options.flag(ns, "force");

        Restriction was = null;
        if (!force) {
            RestrictionView view = new TopicReader(kafka, ctx.codec()).read();
            was = view.get(key);
            RestrictCommand.warn(ctx, view);
            if (was == null) {
                throw CliFailure.notFound(key.wire() + " is not restricted: nothing to lift"
                        + " (--force publishes the lift anyway)");
            }
        }
        new Topics(kafka).ensure(false, ctx.err());
        try (Publisher publisher = new Publisher(kafka, ctx.codec())) {
            publisher.publish(List.of(Change.lift(key, actor, reason, ticket, ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS))), 1, n -> { });
        }
        ctx.out().println("lifted " + key.wire() + (was == null ? "" : " (was: " + was.action().render() + ")"));
        return ExitCodes.OK;
    }
}
