package io.restrictd.service.cli;

import io.restrictd.schema.Restriction;
import io.restrictd.service.config.KafkaFactory;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code restrict import}: bulk load from CSV. The whole file is validated first and nothing is
 * published if any row is wrong. Then rows go out in transactions of {@value #PER_TRANSACTION}
 * changes (each with its audit record); if publishing fails midway, the transactions already
 * committed stay, and running the same import again is safe: it overwrites the same keys.
 */
final class ImportRestrictions implements SubCommand {
    static final int PER_TRANSACTION = 10_000;

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String help() {
        return "bulk-add restrictions from a CSV file (all rows validated before any is published)";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("file").metavar("FILE")
                .help("CSV (RFC 4180, UTF-8) with header kind,subject,action,reason and optional ttl,ticket columns");
        p.addArgument("--format").setDefault("csv").help("input format; only csv");
        p.addArgument("--actor").help("who is doing this (default: $USER@hostname)");
        p.addArgument("--ttl").help("expiry for rows with an empty ttl cell (default: never)");
        p.addArgument("--dry-run").dest("dry-run").action(Arguments.storeTrue())
                .help("validate the file and say what would be published; publish nothing");
        p.addArgument("--create-topic").dest("create-topic").action(Arguments.storeTrue())
                .help("create the restrictions topic (compacted) and the audit topic if missing, instead of failing");
    }

    @Override
    public int run(Namespace ns, KafkaFactory kafka, CliContext ctx) {
        String format = ns.getString("format");
        if (!"csv".equals(format.toLowerCase(Locale.ROOT))) {
            throw new FieldException("format", "'" + format + "' is not supported (only csv)");
        }
        String source = Fields.source(Options.required(ns, "source"));
        Duration defaultTtl = Fields.ttl(ns.getString("ttl"));
        String actor = Options.actor(ns, ctx);
        String file = ns.getString("file");

        CsvImport.Result result = CsvImport.parse(read(file), source, defaultTtl);
        if (!result.ok()) {
            result.errors().forEach(e -> ctx.err().println(file + ": " + e));
            throw CliFailure.usage(file + ": " + result.errors().size() + " error"
                    + (result.errors().size() == 1 ? "" : "s") + "; nothing published");
        }
        List<ImportRow> rows = result.rows();
        if (Options.flag(ns, "dry-run")) {
            ctx.out().println("dry run: " + rows.size() + " restrictions valid, would publish to " + kafka.getTopic()
                    + " as source " + source + " (actor " + actor + ")");
            return ExitCodes.OK;
        }

        new Topics(kafka).ensure(Options.flag(ns, "create-topic"), ctx.err());
        List<Change> changes = changes(rows, actor, ctx, Path.of(file).getFileName().toString());
        long started = System.nanoTime();
        try (Publisher publisher = new Publisher(kafka, ctx.codec())) {
            publisher.publish(changes, PER_TRANSACTION, n -> {
                if (changes.size() > PER_TRANSACTION) {
                    ctx.err().println("committed " + n + "/" + changes.size());
                }
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ctx.out().println(String.format(Locale.ROOT, "imported %d restrictions from %s to %s as source %s in %.1fs",
                rows.size(), file, kafka.getTopic(), source, seconds));
        return ExitCodes.OK;
    }

    private static List<Change> changes(List<ImportRow> rows, String actor, CliContext ctx, String fileName) {
        Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> origin = AddRestriction.origin(ctx, fileName);
        List<Change> changes = new ArrayList<>(rows.size());
        for (ImportRow row : rows) {
            Restriction r = new Restriction(row.key(), row.action(), row.reason(), origin, actor, row.ticket(), now,
                    row.ttl() == null ? null : now.plus(row.ttl()));
            changes.add(Change.add(r, actor, now));
        }
        return changes;
    }

    private static String read(String file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(file))))
                    .toString();
        } catch (NoSuchFileException e) {
            throw CliFailure.usage(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw CliFailure.usage(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw CliFailure.usage(file + ": cannot read: " + e.getMessage());
        }
    }
}
