package io.restrictd.syncer.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A directory entry as the mapping sees it, independent of any LDAP library: its entryUUID (lower-case
 * text form), its DN and its attribute values. Attribute names are matched case-insensitively, as LDAP does.
 */
public record EntrySnapshot(String uuid, String dn, Map<String, List<String>> attributes) {
    public EntrySnapshot {
        if (uuid == null || uuid.isBlank()) {
            throw new IllegalArgumentException("entry " + dn + " has no entryUUID");
        }
        uuid = uuid.toLowerCase(Locale.ROOT);
        Map<String, List<String>> folded = new TreeMap<>();
        attributes.forEach((name, values) -> folded.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> {
                    List<String> all = new java.util.ArrayList<>(a);
                    all.addAll(b);
                    return List.copyOf(all);
                }));
        attributes = Map.copyOf(folded);
    }

    /** The values of {@code name} (case-insensitive), empty if the entry has none; never null. */
    public List<String> values(String name) {
        return attributes.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of {@code name}, or null. */
    public String first(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? null : v.get(0);
    }

    /**
     * When the entry last changed, from entryCSN (OpenLDAP, microseconds) or modifyTimestamp (seconds),
     * or null if it carries neither or they do not parse.
     */
    public java.time.Instant modifiedAt() {
        String csn = first("entryCSN");
        if (csn != null && csn.indexOf('#') > 0) {
            try {
                return GeneralizedTime.parse(csn.substring(0, csn.indexOf('#')));
            } catch (IllegalArgumentException e) {
                // fall back to modifyTimestamp
            }
        }
        String ts = first("modifyTimestamp");
        try {
            return ts == null ? null : GeneralizedTime.parse(ts);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
