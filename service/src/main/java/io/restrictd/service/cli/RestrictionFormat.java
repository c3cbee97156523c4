package io.restrictd.service.cli;

import io.restrictd.schema.EventCodec;
import io.restrictd.schema.Restriction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** How {@code show} and {@code list} print restrictions: text for people, JSON lines and CSV for tools. */
enum RestrictionFormat {
    /** Aligned columns: key, action, expiry, actor, ticket, reason. */
    TEXT {
        @Override
        void print(List<Restriction> rs, Instant now, EventCodec codec, PrintStream out) {
            int keyWidth = rs.stream().mapToInt(r -> r.key().wire().length()).max().orElse(0);
            int actionWidth = rs.stream().mapToInt(r -> r.action().render().length()).max().orElse(0);
            for (Restriction r : rs) {
                out.println(String.format(Locale.ROOT, "%-" + keyWidth + "s  %-" + actionWidth + "s  %s  %s  %s  %s",
                        r.key().wire(), r.action().render(), expiry(r, now), dash(r.actor()), dash(r.ticket()),
                        dash(r.reason())));
            }
        }
    },
    /** One restriction per line, encoded exactly as on the topic (schema restrictd.restriction/v1). */
    JSON {
        @Override
        void print(List<Restriction> rs, Instant now, EventCodec codec, PrintStream out) {
            for (Restriction r : rs) {
                out.println(new String(codec.encode(r), StandardCharsets.UTF_8));
            }
        }
    },
    /** RFC 4180 with a header row; {@code expired} is true or false as of now. */
    CSV {
        @Override
        void print(List<Restriction> rs, Instant now, EventCodec codec, PrintStream out) {
            out.print("source,kind,subject,action,reason,ticket,actor,createdAt,expiresAt,expired\r\n");
            for (Restriction r : rs) {
                out.print(String.join(",", csv(r.key().source()), csv(r.key().kind().wireName()),
                        csv(r.key().subject()), csv(r.action().render()), csv(r.reason()), csv(r.ticket()),
                        csv(r.actor()), csv(r.createdAt().toString()),
                        csv(r.expiresAt() == null ? null : r.expiresAt().toString()),
                        String.valueOf(!r.activeAt(now))) + "\r\n");
            }
        }
    };

    abstract void print(List<Restriction> rs, Instant now, EventCodec codec, PrintStream out);

    static RestrictionFormat parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FieldException("format", "'" + text + "' is not one of text, json, csv");
        }
    }

    /** A multi-line description of one restriction, for {@code show}. */
    static void describe(Restriction r, Instant now, PrintStream out) {
        out.println(r.key().wire());
        out.println("  action:   " + r.action().render());
        out.println("  reason:   " + dash(r.reason()));
        out.println("  actor:    " + dash(r.actor()));
        out.println("  ticket:   " + dash(r.ticket()));
        out.println("  created:  " + r.createdAt());
        out.println("  expires:  " + expiry(r, now));
        if (!r.origin().isEmpty()) {
            StringBuilder origin = new StringBuilder();
            for (Map.Entry<String, String> e : new TreeMap<>(r.origin()).entrySet()) {
                origin.append(origin.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
            }
            out.println("  origin:   " + origin);
        }
    }

    /** {@code never}, {@code 2026-02-01T00:00:00Z (in 6d 23h)} or {@code ... (EXPIRED)}. */
    static String expiry(Restriction r, Instant now) {
        if (r.expiresAt() == null) {
            return "never";
        }
        if (!r.activeAt(now)) {
            return r.expiresAt() + " (EXPIRED)";
        }
        return r.expiresAt() + " (in " + approx(Duration.between(now, r.expiresAt())) + ")";
    }

    private static String approx(Duration d) {
        long s = d.getSeconds();
        if (s >= 86_400) {
            return s / 86_400 + "d " + (s % 86_400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    /** One CSV field, quoted when it must be. */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        boolean quote = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || !s.equals(s.strip());
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
