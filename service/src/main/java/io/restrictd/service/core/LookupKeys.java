package io.restrictd.service.core;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Subjects;
import java.util.ArrayList;
import java.util.List;

/**
 * Postfix access(5) key expansion for a sender address. Postfix sends a socketmap only the full
 * address, so the node derives the partial keys itself, in the order access(5) documents:
 * {@code user+ext@domain}, {@code user@domain}, {@code domain} and its parents,
 * {@code user+ext@}, {@code user@}. The null sender is {@code <>}. Login names are looked up as is.
 *
 * <p>Parent domains are tried in the one form set by {@code parentDomainMatchesSubdomains}, as Postfix
 * does: when true (Postfix's default for smtpd access maps) the parents are looked up by plain name,
 * so {@code example.org} matches {@code mx.example.org}; when false they are looked up as patterns,
 * so only {@code .example.org} does.
 *
 * <p>Immutable and thread-safe.
 */
public final class LookupKeys {
    private final String delimiters;
    private final boolean parentDomainMatchesSubdomains;

    /**
     * @param delimiters                    recipient_delimiter characters (empty for none), default {@code +}
     * @param parentDomainMatchesSubdomains see the class comment
     */
    public LookupKeys(String delimiters, boolean parentDomainMatchesSubdomains) {
        this.delimiters = delimiters == null ? "" : delimiters;
        this.parentDomainMatchesSubdomains = parentDomainMatchesSubdomains;
    }

    /** The candidate keys for a raw lookup key, normalised, most specific first, without duplicates. */
    public List<String> expand(Kind kind, String raw) {
        String key = Subjects.normalizeQuery(kind, raw);
        if (kind != Kind.SENDER || key.equals(Subjects.NULL_SENDER)) {
            return List.of(key);
        }
        List<String> out = new ArrayList<>(8);
        int at = key.lastIndexOf('@');
        if (at < 0) {
            out.add(key); // a bare name: looked up whole, then as a local part
            add(out, key + "@");
            return out;
        }
        String local = key.substring(0, at);
        String domain = key.substring(at + 1);
        String base = stripExtension(local);
        out.add(key);
        if (base != null && !domain.isEmpty()) {
            add(out, base + "@" + domain);
        }
        if (!domain.isEmpty()) {
            addDomains(out, domain);
        }
        add(out, local + "@");
        if (base != null) {
            add(out, base + "@");
        }
        return out;
    }

    private void addDomains(List<String> out, String domain) {
        add(out, domain);
        if (domain.startsWith("[")) {
            return; // an address literal has no parent domains
        }
        int dot = domain.indexOf('.');
        while (dot >= 0) {
            String parent = domain.substring(dot + 1);
            if (parent.isEmpty()) {
                break;
            }
            add(out, parentDomainMatchesSubdomains ? parent : "." + parent); // as smtpd's check_domain_access
            dot = domain.indexOf('.', dot + 1);
        }
    }

    /** The local part without its address extension, or null if it has none. */
    private String stripExtension(String local) {
        if (delimiters.isEmpty()) {
            return null;
        }
        if (delimiters.indexOf('-') >= 0 && (local.startsWith("owner-") || local.endsWith("-request"))) {
            return null; // as Postfix: list addresses are not split on '-'
        }
        for (int i = 0; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                return i == 0 ? null : local.substring(0, i);
            }
        }
        return null;
    }

    private static void add(List<String> out, String key) {
        if (!out.contains(key)) {
            out.add(key);
        }
    }
}
