package io.restrictd.service.cli;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.service.config.KafkaFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code restrict add}: sets (or replaces) one restriction, with its audit record, in one transaction. */
final class AddRestriction implements SubCommand {
    @Override
    public String name() {
        return "add";
    }

    @Override
    public String help() {
        return "restrict a sender or login (replaces this source's restriction on it, if any)";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public void configure(Subparser p) {
        RestrictCommand.addKey(p);
        p.addArgument("--action").metavar("ACTION")
                .help("access(5) action, required: \"REJECT text\", \"DEFER text\", \"550 5.7.1 text\", HOLD, DISCARD...");
        p.addArgument("--reason").help("why, for the audit trail");
        p.addArgument("--ticket").help("abuse-desk ticket reference");
        p.addArgument("--actor").help("who is doing this (default: $USER@hostname)");
        p.addArgument("--ttl").help("expire after 90s, 15m, 72h, 7d, 2w... (default: never)");
        p.addArgument("--create-topic").dest("create-topic").action(Arguments.storeTrue())
                .help("create the restrictions topic (compacted) and the audit topic if missing, instead of failing");
    }

    @Override
    public int run(Namespace ns, KafkaFactory kafka, CliContext ctx) {
        RestrictionKey key = Options.key(ns);
        AccessAction action = Fields.action(Options.required(ns, "action"));
        Duration ttl = Fields.ttl(ns.getString("ttl"));
        String actor = Options.actor(ns, ctx);
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        Restriction r = new Restriction(key, action, Fields.text("reason", ns.getString("reason")),
                origin(ctx, null), actor, Fields.text("ticket", ns.getString("ticket")), now,
                ttl == null ? null : now.plus(ttl));

        new Topics(kafka).ensure(Options.flag(ns, "create-topic"), ctx.err());
        try (Publisher publisher = new Publisher(kafka, ctx.codec())) {
            publisher.publish(List.of(Change.add(r, actor, now)), 1, n -> { });
        }
        ctx.out().println("added " + key.wire() + ": " + action.render()
                + (r.expiresAt() == null ? " (no expiry)" : " (expires " + r.expiresAt() + ")"));
        return ExitCodes.OK;
    }

    /** What the origin says for restrictions set from this tool. */
    static Map<String, String> origin(CliContext ctx, String file) {
        return file == null
                ? Map.of("tool", "restrict-cli", "host", ctx.host())
                : Map.of("tool", "restrict-cli", "host", ctx.host(), "file", file);
    }
}
