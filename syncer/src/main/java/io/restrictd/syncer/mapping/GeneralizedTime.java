package io.restrictd.syncer.mapping;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses LDAP GeneralizedTime (RFC 4517 3.3.13): {@code YYYYMMDDHH[MM[SS]][(.|,)fraction](Z|+HHMM|-HHMM)}. */
final class GeneralizedTime {
    private static final Pattern FORM = Pattern.compile(
            "(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})?(\\d{2})?(?:[.,](\\d{1,9}))?(Z|[+-]\\d{2}(?:\\d{2})?)");

    private GeneralizedTime() {
    }

    /** @throws IllegalArgumentException if {@code text} is not a GeneralizedTime */
    static Instant parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a GeneralizedTime (e.g. 20250131235959Z)");
        }
        try {
            int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), minute, second);
            if (m.group(7) != null && m.group(6) != null) {
                // A fraction of the last unit given; only fractions of seconds are common, the others are rare.
                local = local.withNano(Integer.parseInt((m.group(7) + "000000000").substring(0, 9)));
            }
            String zone = m.group(8);
            ZoneOffset offset = zone.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(zone.length() == 3 ? zone + ":00"
                    : zone.substring(0, 3) + ":" + zone.substring(3));
            return local.toInstant(offset);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid time: " + e.getMessage(), e);
        }
    }
}
