package io.restrictd.service.cli;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.service.config.KafkaFactory;
import java.time.Instant;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code restrict list}: all current restrictions, tombstones applied; exit 1 if there are none. */
final class ListRestrictions implements SubCommand {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public String help() {
        return "list current restrictions (text, JSON lines or CSV)";
    }

    @Override
    public boolean writes() {
        return false;
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("--kind").help("only this kind: sender or login");
        p.addArgument("--format").setDefault("text").help("text (default), json (one event per line) or csv");
        p.addArgument("--include-expired").dest("include-expired").action(Arguments.storeTrue())
                .help("include restrictions past their expiry");
    }

    @Override
    public int run(Namespace ns, KafkaFactory kafka, CliContext ctx) {
        Kind kind = Options.optionalKind(ns);
        String source = Options.optionalSource(ns);
        RestrictionFormat format = RestrictionFormat.parse(ns.getString("format"));
        RestrictionView view = new TopicReader(kafka, ctx.codec()).read();
        Instant now = ctx.clock().instant();
        List<Restriction> rs = view.select(kind, source, null, Options.flag(ns, "include-expired"), now);
        RestrictCommand.warn(ctx, view);
        format.print(rs, now, ctx.codec(), ctx.out());
        if (rs.isEmpty()) {
            ctx.err().println("no restrictions");
            return ExitCodes.NOT_FOUND;
        }
        return ExitCodes.OK;
    }
}
