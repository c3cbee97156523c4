package io.restrictd.service.cli;

import java.time.Duration;

/**
 * Parses a time-to-live as operators write it: a positive whole number and one unit,
 * {@code s} (seconds), {@code m} (minutes), {@code h} (hours), {@code d} (days) or {@code w} (weeks):
 * {@code 90s}, {@code 15m}, {@code 72h}, {@code 7d}, {@code 2w}. Units are lower case only, so that
 * {@code M} is never read as months. At most {@value #MAX_DAYS} days.
 */
public final class TtlParser {
    /** The longest TTL accepted; longer means "forever", which is what omitting the TTL says. */
    public static final long MAX_DAYS = 3650;
    private static final String FORMS = " (expected a positive number and a unit s, m, h, d or w, e.g. 90s, 15m, 72h, 7d, 2w)";

    private TtlParser() {
    }

    /**
     * @throws FieldException for field {@code ttl}, saying exactly what is wrong
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new FieldException("ttl", "empty" + FORMS);
        }
        String s = text.strip();
        if (s.startsWith("-")) {
            throw new FieldException("ttl", "'" + s + "' is negative" + FORMS);
        }
        int end = 0;
        while (end < s.length() && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        if (end == 0) {
            throw new FieldException("ttl", "'" + s + "' does not start with a number" + FORMS);
        }
        if (end == s.length()) {
            throw new FieldException("ttl", "'" + s + "' has no unit" + FORMS);
        }
        String unit = s.substring(end);
        long seconds = switch (unit) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            case "w" -> 7 * 86_400;
            default -> throw new FieldException("ttl", unit.length() == 1 && Character.isLetter(unit.charAt(0))
                    ? "'" + s + "' has an unknown unit '" + unit + "'" + FORMS
                    : "'" + s + "' is not a whole number followed by one unit" + FORMS);
        };
        String digits = s.substring(0, end);
        long max = MAX_DAYS * 86_400;
        long amount;
        try {
            amount = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            amount = Long.MAX_VALUE; // too many digits: over any limit
        }
        if (amount == 0) {
            throw new FieldException("ttl", "'" + s + "' is zero; a restriction must last a while (omit --ttl for no expiry)");
        }
        if (amount > max / seconds) {
            throw new FieldException("ttl", "'" + s + "' is longer than the maximum of " + MAX_DAYS
                    + "d (omit the ttl for no expiry)");
        }
        return Duration.ofSeconds(amount * seconds);
    }
}
