package io.restrictd.syncer.mapping;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.EntryOrigin;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one restricted entry (one the search filter matched) into the restrictions it stands for: one per
 * valid sender address and per valid login. A value that cannot be used (a malformed address, an unknown
 * action, a bad expiry) is skipped, logged and counted; it never fails the entry or produces a bad event.
 *
 * <p>Thread-safe: holds no state but the skip counter.
 */
public final class EntryMapper {
    private static final Logger LOG = LoggerFactory.getLogger(EntryMapper.class);

    private static final String PROXY_ADDRESSES = "proxyAddresses";

    private final Mapping mapping;
    private final Clock clock;
    private final AtomicLong skipped = new AtomicLong();

    public EntryMapper(Mapping mapping, Clock clock) {
        this.mapping = mapping;
        this.clock = clock;
    }

    /** Values skipped since start. */
    public long skipped() {
        return skipped.get();
    }

    public Mapping mapping() {
        return mapping;
    }

    /** The restrictions {@code entry} publishes, by key; empty if none of its values is usable. */
    public Map<RestrictionKey, Restriction> map(EntrySnapshot entry) {
        Instant now = clock.instant();
        AccessAction action = action(entry);
        Instant expiresAt = expiry(entry);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            // Already over: nothing applies, and what was published for it is lifted.
            return Map.of();
        }
        Map<String, String> origin = Map.of("dn", entry.dn(), EntryOrigin.ENTRY_ID, entry.uuid());
        Map<RestrictionKey, Restriction> out = new LinkedHashMap<>();
        add(out, entry, Kind.SENDER, mapping.senderAttributes(), action, origin, now, expiresAt);
        add(out, entry, Kind.LOGIN, mapping.loginAttributes(), action, origin, now, expiresAt);
        return out;
    }

    private void add(Map<RestrictionKey, Restriction> out, EntrySnapshot entry, Kind kind, List<String> attributes,
            AccessAction action, Map<String, String> origin, Instant now, Instant expiresAt) {
        for (String attribute : attributes) {
            for (String raw : entry.values(attribute)) {
                String value = kind == Kind.SENDER ? senderAddress(attribute, raw) : raw;
                if (value == null) {
                    continue;
                }
                try {
                    RestrictionKey key = new RestrictionKey(mapping.source(), kind, value);
                    out.put(key, new Restriction(key, action, null, origin, null, null, now, expiresAt));
                } catch (InvalidEventException e) {
                    skip(entry, attribute, value, e.getMessage());
                }
            }
        }
    }

    /**
     * The sender address a value stands for: the value itself, except in AD's {@code proxyAddresses}, whose
     * values carry an address type: {@code SMTP:} (primary) and {@code smtp:} (alias) lose the prefix, other
     * types ({@code X500:}, {@code SIP:}, ...) stand for no sender address (null; not counted as skipped).
     */
    static String senderAddress(String attribute, String value) {
        if (!PROXY_ADDRESSES.equalsIgnoreCase(attribute)) {
            return value;
        }
        return value.regionMatches(true, 0, "smtp:", 0, 5) ? value.substring(5) : null;
    }

    private AccessAction action(EntrySnapshot entry) {
        AccessAction action = mapping.action();
        if (mapping.actionAttribute() != null) {
            String own = entry.first(mapping.actionAttribute());
            if (own != null) {
                try {
                    action = AccessAction.parse(own);
                } catch (InvalidEventException e) {
                    skip(entry, mapping.actionAttribute(), own, e.getMessage() + "; using mapping.action");
                }
            }
        }
        if (mapping.messageAttribute() != null) {
            String message = entry.first(mapping.messageAttribute());
            if (message != null) {
                try {
                    action = new AccessAction(action.verb(), action.smtpCode(), action.enhancedCode(), message);
                } catch (InvalidEventException e) {
                    skip(entry, mapping.messageAttribute(), message, e.getMessage());
                }
            }
        }
        return action;
    }

    private Instant expiry(EntrySnapshot entry) {
        if (mapping.expiryAttribute() == null) {
            return null;
        }
        String text = entry.first(mapping.expiryAttribute());
        if (text == null) {
            return null;
        }
        try {
            return GeneralizedTime.parse(text);
        } catch (IllegalArgumentException e) {
            skip(entry, mapping.expiryAttribute(), text, e.getMessage() + "; no expiry");
            return null;
        }
    }

    private void skip(EntrySnapshot entry, String attribute, String value, String why) {
        skipped.incrementAndGet();
        LOG.warn("entry {} ({}): skipped {} value '{}': {}", entry.dn(), entry.uuid(), attribute,
                value.length() > 80 ? value.substring(0, 80) + "..." : value, why);
    }
}
