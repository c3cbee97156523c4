package io.restrictd.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code origin} property that names the directory entry a restriction stands for: {@value #ENTRY_ID},
 * the entry's stable id in text form (entryUUID on OpenLDAP, nsUniqueId on 389-DS, objectGUID on Active
 * Directory). Events written before it had its name carry the same id under {@value #DEPRECATED_ENTRY_UUID},
 * whatever the directory: still read, never written, so a syncer upgraded over a topic of old events keeps
 * every key it published (nothing re-published, nothing lifted).
 *
 * <p>Stateless and thread-safe.
 */
public final class EntryOrigin {
    /** The entry's id, as written since the rename. */
    public static final String ENTRY_ID = "entryId";
    /** The name {@link #ENTRY_ID} had before (it held objectGUID and nsUniqueId too): read, never written. */
    public static final String DEPRECATED_ENTRY_UUID = "entryUUID";

    private EntryOrigin() {
    }

    /**
     * The entry id an origin names: {@value #ENTRY_ID} if present, else the deprecated
     * {@value #DEPRECATED_ENTRY_UUID}, else null.
     */
    public static String entryId(Map<String, String> origin) {
        String id = origin.get(ENTRY_ID);
        return id != null ? id : origin.get(DEPRECATED_ENTRY_UUID);
    }

    /**
     * The origin in its current form: the deprecated {@value #DEPRECATED_ENTRY_UUID} becomes
     * {@value #ENTRY_ID}, unless that is present too (then the new name wins and the old one is dropped).
     * An origin without the old name is returned as it is. An old-form and a new-form origin for the same
     * entry are equal once both are in this form.
     */
    public static Map<String, String> canonical(Map<String, String> origin) {
        if (!origin.containsKey(DEPRECATED_ENTRY_UUID)) {
            return origin;
        }
        Map<String, String> out = new LinkedHashMap<>(origin);
        String old = out.remove(DEPRECATED_ENTRY_UUID);
        out.putIfAbsent(ENTRY_ID, old);
        return out;
    }
}
