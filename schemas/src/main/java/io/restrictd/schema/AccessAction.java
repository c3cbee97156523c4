package io.restrictd.schema;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A restrictive access(5) action: a verb, an optional explicit SMTP code and enhanced status code,
 * and an optional message. Rendered as Postfix expects it in an access table value.
 *
 * <p>Messages are single-line printable text of at most {@value #MAX_MESSAGE} characters (code points):
 * they end up in an SMTP reply, where CR, LF and other control characters (C0, DEL, C1) would break the
 * protocol. Explicit codes go with {@code REJECT} (5xx) and {@code DEFER} (4xx) only.
 */
public record AccessAction(Verb verb, Integer smtpCode, String enhancedCode, String message) {
    public static final int MAX_MESSAGE = 400;

    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public AccessAction {
        if (verb == null) {
            throw new InvalidEventException("action: missing verb");
        }
        if (smtpCode != null) {
            // DEFER_IF_PERMIT has no code form in access(5): "450 text" would be a plain DEFER.
            if (verb.statusClass() == 0 || verb == Verb.DEFER_IF_PERMIT) {
                throw new InvalidEventException("smtpCode: " + verb + " takes no SMTP code");
            }
            if (smtpCode < 400 || smtpCode > 599 || Character.forDigit(smtpCode / 100, 10) != verb.statusClass()) {
                throw new InvalidEventException("smtpCode: " + smtpCode + " does not fit " + verb
                        + " (expected " + verb.statusClass() + "xx)");
            }
        }
        if (enhancedCode != null) {
            if (smtpCode == null) {
                throw new InvalidEventException("enhancedCode: needs smtpCode");
            }
            if (!ENHANCED.matcher(enhancedCode).matches() || enhancedCode.charAt(0) != verb.statusClass()) {
                throw new InvalidEventException("enhancedCode: '" + enhancedCode + "' is not a "
                        + verb.statusClass() + ".x.y enhanced status code");
            }
        }
        if (message != null) {
            message = message.strip();
            if (message.isEmpty()) {
                message = null;
            } else {
                checkMessage(message);
            }
        }
    }

    /** A plain verb with a message, e.g. {@code REJECT Account suspended}. */
    public static AccessAction of(Verb verb, String message) {
        return new AccessAction(verb, null, null, message);
    }

    private static void checkMessage(String message) {
        // Characters are code points, as JSON Schema's maxLength counts them.
        if (message.codePointCount(0, message.length()) > MAX_MESSAGE) {
            throw new InvalidEventException("message: longer than " + MAX_MESSAGE + " characters");
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (isControl(c)) {
                throw new InvalidEventException("message: control character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + " at position " + i);
            }
        }
    }

    /** C0 and C1 control characters and DEL (Unicode category Cc); NEL (U+0085) is a line break too. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /**
     * Parses an access(5) action as an operator writes it: {@code REJECT text}, {@code DEFER text},
     * {@code DEFER_IF_PERMIT text}, {@code DISCARD text}, {@code HOLD text}, or an explicit
     * {@code 4NN}/{@code 5NN} code with an optional enhanced code ({@code 550 5.7.1 text}).
     *
     * @throws InvalidEventException naming what is wrong
     */
    public static AccessAction parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidEventException("action: empty");
        }
        String trimmed = text.strip();
        int space = indexOfSpace(trimmed);
        String head = space < 0 ? trimmed : trimmed.substring(0, space);
        String rest = space < 0 ? null : trimmed.substring(space + 1).strip();
        if (head.length() == 3 && head.chars().allMatch(Character::isDigit)) {
            int code = Integer.parseInt(head);
            Verb verb = switch (head.charAt(0)) {
                case '5' -> Verb.REJECT;
                case '4' -> Verb.DEFER;
                default -> throw new InvalidEventException("action: SMTP code " + head + " is not 4xx or 5xx");
            };
            String enhanced = null;
            if (rest != null) {
                int s = indexOfSpace(rest);
                String first = s < 0 ? rest : rest.substring(0, s);
                if (ENHANCED.matcher(first).matches()) {
                    enhanced = first;
                    rest = s < 0 ? null : rest.substring(s + 1);
                }
            }
            return new AccessAction(verb, code, enhanced, rest);
        }
        Verb verb;
        try {
            verb = Verb.valueOf(head.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("action: unknown or non-restrictive action '" + head
                    + "' (expected REJECT, DEFER, DEFER_IF_PERMIT, DISCARD, HOLD, 4NN or 5NN)");
        }
        return new AccessAction(verb, null, null, rest);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** The severity used for precedence; see {@link Verb#severity()}. */
    public int severity() {
        return verb.severity();
    }

    /** The value a Postfix access table would hold: {@code REJECT text} or {@code 550 5.7.1 text}. */
    public String render() {
        StringBuilder out = new StringBuilder(64);
        if (smtpCode != null) {
            out.append(smtpCode);
            if (enhancedCode != null) {
                out.append(' ').append(enhancedCode);
            }
        } else {
            out.append(verb.name());
        }
        if (message != null) {
            out.append(' ').append(message);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
