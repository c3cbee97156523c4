package io.restrictd.service.cli;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.RestrictionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates a whole import file before anything is published: the header, then every row, then
 * duplicate keys. Collects every error with its line number rather than stopping at the first, so
 * one run tells the operator everything to fix. Pure: no I/O, no clock.
 *
 * <p>Header: {@code kind,subject,action,reason} in any order, optionally {@code ttl} and
 * {@code ticket}; names are case-insensitive. An empty {@code ttl} cell means the default TTL
 * (none unless {@code --ttl} is given).
 */
public final class CsvImport {
    static final List<String> REQUIRED = List.of("kind", "subject", "action", "reason");
    static final List<String> OPTIONAL = List.of("ttl", "ticket");

    /**
     * What an import file holds.
     *
     * @param rows   valid rows in file order; meaningless if there are errors
     * @param errors one message per problem, {@code line N: field: problem}, in file order
     */
    public record Result(List<ImportRow> rows, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private CsvImport() {
    }

    /**
     * @param text       the file's content
     * @param source     the source every row is published under (already validated)
     * @param defaultTtl TTL for rows without one, or null for no expiry
     */
    public static Result parse(String text, String source, Duration defaultTtl) {
        CsvReader reader = new CsvReader(text);
        List<String> errors = new ArrayList<>();
        CsvReader.Record header = reader.next();
        if (header == null) {
            errors.add("line 1: empty file (expected a header: " + String.join(",", REQUIRED) + "[,ttl][,ticket])");
            return new Result(List.of(), errors);
        }
        Map<String, Integer> columns = columns(header, errors);
        if (!errors.isEmpty()) {
            return new Result(List.of(), errors);
        }
        List<ImportRow> rows = new ArrayList<>();
        Map<RestrictionKey, Integer> seen = new HashMap<>();
        for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
            if (!r.ok()) {
                errors.add("line " + r.line() + ": " + r.error());
                continue;
            }
            if (r.fields().size() != header.fields().size()) {
                errors.add("line " + r.line() + ": " + r.fields().size() + " fields, expected "
                        + header.fields().size() + " (" + String.join(",", header.fields()) + ")");
                continue;
            }
            ImportRow row;
            try {
                row = row(r, columns, source, defaultTtl);
            } catch (FieldException e) {
                errors.add("line " + r.line() + ": " + e.getMessage());
                continue;
            }
            Integer first = seen.putIfAbsent(row.key(), r.line());
            if (first != null) {
                errors.add("line " + r.line() + ": duplicate key " + row.key().wire() + " (first on line " + first + ")");
                continue;
            }
            rows.add(row);
        }
        if (rows.isEmpty() && errors.isEmpty()) {
            errors.add("line " + (header.line() + 1) + ": no rows after the header");
        }
        return new Result(rows, errors);
    }

    private static ImportRow row(CsvReader.Record r, Map<String, Integer> columns, String source, Duration defaultTtl) {
        Kind kind = Fields.kind(cell(r, columns, "kind"));
        String subject = Fields.subject(kind, cell(r, columns, "subject"));
        AccessAction action = Fields.action(cell(r, columns, "action"));
        String reason = Fields.text("reason", cell(r, columns, "reason"));
        String ticket = Fields.text("ticket", cell(r, columns, "ticket"));
        Duration ttl = Fields.ttl(cell(r, columns, "ttl"));
        return new ImportRow(r.line(), new RestrictionKey(source, kind, subject), action, reason, ticket,
                ttl == null ? defaultTtl : ttl);
    }

    private static String cell(CsvReader.Record r, Map<String, Integer> columns, String name) {
        Integer i = columns.get(name);
        return i == null ? null : r.fields().get(i);
    }

    private static Map<String, Integer> columns(CsvReader.Record header, List<String> errors) {
        String where = "line " + header.line() + ": header: ";
        if (!header.ok()) {
            errors.add(where + header.error());
            return Map.of();
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).strip().toLowerCase(Locale.ROOT);
            if (!REQUIRED.contains(name) && !OPTIONAL.contains(name)) {
                errors.add(where + "unknown column '" + header.fields().get(i) + "' (expected "
                        + String.join(", ", REQUIRED) + ", and optionally " + String.join(", ", OPTIONAL) + ")");
            } else if (columns.putIfAbsent(name, i) != null) {
                errors.add(where + "column '" + name + "' appears twice");
            }
        }
        for (String name : REQUIRED) {
            if (!columns.containsKey(name)) {
                errors.add(where + "missing column '" + name + "'");
            }
        }
        return columns;
    }
}
