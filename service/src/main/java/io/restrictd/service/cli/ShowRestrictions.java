package io.restrictd.service.cli;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.service.config.KafkaFactory;
import java.time.Instant;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrict show}: every source's restriction on one exact subject, expired ones included
 * and marked. Exact means the normalised subject itself: it does not walk the access(5) lookup
 * order (a restriction on {@code example.org} is not shown for {@code user@example.org}).
 */
final class ShowRestrictions implements SubCommand {
    @Override
    public String name() {
        return "show";
    }

    @Override
    public String help() {
        return "show every source's restriction on one exact subject";
    }

    @Override
    public boolean writes() {
        return false;
    }

    @Override
    public void configure(Subparser p) {
        RestrictCommand.addKey(p);
    }

    @Override
    public int run(Namespace ns, KafkaFactory kafka, CliContext ctx) {
        Kind kind = Fields.kind(Options.required(ns, "kind"));
        String subject = Fields.subject(kind, Options.required(ns, "subject"));
        String source = Options.optionalSource(ns);
        RestrictionView view = new TopicReader(kafka, ctx.codec()).read();
        Instant now = ctx.clock().instant();
        List<Restriction> found = view.select(kind, source, subject, true, now);
        RestrictCommand.warn(ctx, view);
        if (found.isEmpty()) {
            throw CliFailure.notFound("no restriction on " + kind + " " + subject
                    + (source == null ? "" : " from source " + source));
        }
        for (Restriction r : found) {
            RestrictionFormat.describe(r, now, ctx.out());
        }
        return ExitCodes.OK;
    }
}
