package io.restrictd.service.cli;

import io.restrictd.schema.Kind;
import io.restrictd.schema.RestrictionKey;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Reads and validates parsed options. argparse only collects strings; every check happens here so
 * that each mistake gets a precise message and exit code 2 (argparse's own errors exit 1 through
 * Dropwizard's launcher).
 */
final class Options {
    private Options() {
    }

    static String required(Namespace ns, String option) {
        String v = ns.getString(option);
        if (v == null || v.isBlank()) {
            throw new FieldException(option, "required");
        }
        return v;
    }

    /** The key named by {@code --source}, {@code --kind}, {@code --subject}; the subject normalised. */
    static RestrictionKey key(Namespace ns) {
        Kind kind = Fields.kind(required(ns, "kind"));
        return Fields.key(required(ns, "source"), kind, required(ns, "subject"));
    }

    /** {@code --kind} if given, else null (all kinds). */
    static Kind optionalKind(Namespace ns) {
        String v = ns.getString("kind");
        return v == null ? null : Fields.kind(v);
    }

    /** {@code --source} if given, else null (all sources). */
    static String optionalSource(Namespace ns) {
        String v = ns.getString("source");
        return v == null ? null : Fields.source(v);
    }

    /** {@code --actor}, or {@code $USER@host}. */
    static String actor(Namespace ns, CliContext ctx) {
        String v = Fields.text("actor", ns.getString("actor"));
        return v == null ? ctx.defaultActor() : v;
    }

    static boolean flag(Namespace ns, String option) {
        return Boolean.TRUE.equals(ns.getBoolean(option));
    }
}
