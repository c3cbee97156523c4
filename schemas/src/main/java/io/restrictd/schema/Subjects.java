package io.restrictd.schema;

import java.net.IDN;
import java.util.Locale;

/**
 * Key normalisation: the one function producers, the store and the lookup node all use, so that a
 * subject written by any of them meets the same subject asked by Postfix.
 *
 * <p>Rules, for both kinds:
 * <ul>
 *   <li>Case is folded with {@link Locale#ROOT}, as Postfix folds access-table keys and as LDAP's
 *       {@code mail} matching ignores case. Local parts are folded too: restrictions are a safety
 *       tool, and two spellings of one mailbox must not escape each other.</li>
 *   <li>Domains are stored in their ASCII (A-label, {@code xn--}) form, converted with
 *       {@link IDN#toASCII} (IDNA 2003, unassigned code points allowed). A U-label domain from an
 *       SMTPUTF8 session and its A-label both match the one stored key. Local parts stay UTF-8.</li>
 *   <li>The null sender is the key {@code <>}; an empty query is read as the null sender too.</li>
 * </ul>
 *
 * <p>Sender subjects take the access(5) forms: {@code user@domain}, {@code user@}, {@code domain},
 * {@code .domain} (parent-domain pattern) and {@code <>}. Login subjects are SASL user names.
 */
public final class Subjects {
    /** The null sender's key, as Postfix's smtpd_null_access_lookup_key. */
    public static final String NULL_SENDER = "<>";
    /** Longest subject accepted, in characters: a 64-octet local part, '@', a 255-octet domain. */
    public static final int MAX_LENGTH = 320;

    private Subjects() {
    }

    /**
     * Normalises a subject for storing or publishing.
     *
     * @throws InvalidEventException naming the problem, if the subject is not a valid form of its kind
     */
    public static String normalize(Kind kind, String raw) {
        if (raw != null && isNormal(kind, raw)) {
            return raw; // already stored form: every key read back from the store or the topic
        }
        return normalizeFully(kind, raw);
    }

    /** {@link #normalize} without its shortcut: the definition the shortcut is tested against. */
    static String normalizeFully(Kind kind, String raw) {
        if (raw == null) {
            throw new InvalidEventException("subject: missing");
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new InvalidEventException("subject: empty");
        }
        checkLength(s);
        checkPrintable(s);
        String normal = kind == Kind.LOGIN ? s.toLowerCase(Locale.ROOT) : normalizeSender(s);
        checkLength(normal); // A-labels are longer than U-labels: the stored form must fit too
        return normal;
    }

    /**
     * True only if {@link #normalizeFully} returns {@code s} itself: printable ASCII without upper case, and for a
     * sender one of the stored forms with a domain of plain labels (an address literal or anything else takes
     * the full path). Allocates nothing: the store and ingest call it for every key they read.
     */
    static boolean isNormal(Kind kind, String s) {
        int n = s.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        int at = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || (c >= 'A' && c <= 'Z')) {
                return false;
            }
            if (c == '@') {
                at = i;
            }
        }
        if (kind == Kind.LOGIN || s.equals(NULL_SENDER)) {
            return true;
        }
        if (at < 0) { // a domain, or a parent-domain pattern
            return isPlainDomain(s, s.charAt(0) == '.' ? 1 : 0);
        }
        return at > 0 && (at == n - 1 || isPlainDomain(s, at + 1));
    }

    /** Labels of 1 to 63 of [a-z0-9_-] from {@code from} to the end, no trailing dot. */
    private static boolean isPlainDomain(String s, int from) {
        int label = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0;
    }

    /** Characters are code points, as JSON Schema's maxLength counts them. */
    private static void checkLength(String s) {
        if (s.codePointCount(0, s.length()) > MAX_LENGTH) {
            throw new InvalidEventException("subject: longer than " + MAX_LENGTH + " characters");
        }
    }

    private static String normalizeSender(String s) {
        if (s.equals(NULL_SENDER)) {
            return NULL_SENDER;
        }
        int at = s.lastIndexOf('@');
        if (at < 0) {
            boolean parent = s.startsWith(".");
            String domain = toAsciiDomain(parent ? s.substring(1) : s);
            return parent ? "." + domain : domain;
        }
        String local = s.substring(0, at);
        if (local.isEmpty()) {
            throw new InvalidEventException("subject: '" + s + "' has an empty local part");
        }
        String localFolded = local.toLowerCase(Locale.ROOT);
        if (at == s.length() - 1) {
            return localFolded + "@";
        }
        return localFolded + "@" + toAsciiDomain(s.substring(at + 1));
    }

    /**
     * Normalises what Postfix sends as a lookup key. Never throws for content: a key that cannot be
     * a stored subject (say, an undecodable IDN) is folded and returned as is, and simply matches
     * nothing, which is the truth for it.
     */
    public static String normalizeQuery(Kind kind, String raw) {
        String s = raw == null ? "" : raw.strip();
        if (kind == Kind.SENDER && s.isEmpty()) {
            return NULL_SENDER;
        }
        try {
            return normalize(kind, s);
        } catch (InvalidEventException e) {
            return s.toLowerCase(Locale.ROOT);
        }
    }

    /** The domain in its stored (A-label, lower-case) form. */
    public static String toAsciiDomain(String domain) {
        if (domain.isEmpty()) {
            throw new InvalidEventException("subject: empty domain");
        }
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return domain.toLowerCase(Locale.ROOT); // address literal, e.g. [192.0.2.1]
        }
        String ascii;
        if (isAscii(domain)) {
            ascii = domain; // ToASCII leaves all-ASCII labels as they are (RFC 3490 4.1); skip its cost
        } else {
            try {
                ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException("subject: domain '" + domain + "' is not a valid IDN: "
                        + e.getMessage(), e);
            }
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new InvalidEventException("subject: domain '" + domain + "' has an empty or over-long label");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    throw new InvalidEventException("subject: domain '" + domain + "' contains '" + c + "'");
                }
            }
        }
        return ascii;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void checkPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isWhitespace(c)) {
                throw new InvalidEventException("subject: whitespace or control character at position " + i);
            }
        }
    }
}
