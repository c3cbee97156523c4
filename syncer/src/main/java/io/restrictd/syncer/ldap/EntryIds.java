package io.restrictd.syncer.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every mode identifies an entry: the one place that knows entryUUID (OpenLDAP, RFC 4530), nsUniqueId
 * (389-DS) and objectGUID (Active Directory, Samba; binary, turned into its canonical GUID text form
 * {@code 8-4-4-4-12}, lower case, the first three groups little-endian as AD writes them).
 *
 * <p>{@code ldap.idAttribute} chooses: {@code auto} (the default) takes the first of entryUUID, nsUniqueId
 * and objectGUID the entry carries, which picks the right one on each of those servers without asking them
 * (389-DS has both entryUUID and nsUniqueId where its entryUUID plugin runs: entryUUID wins, as it always did);
 * a named attribute is used alone. An entry without a usable id is skipped with a warning and counted
 * ({@link #skipped()}), never a crash.
 *
 * <p>Thread-safe.
 */
public final class EntryIds {
    private static final Logger LOG = LoggerFactory.getLogger(EntryIds.class);
    public static final String AUTO = "auto";
    public static final String ENTRY_UUID = "entryUUID";
    public static final String NS_UNIQUE_ID = "nsUniqueId";
    public static final String OBJECT_GUID = "objectGUID";
    private static final List<String> ALL = List.of(ENTRY_UUID, NS_UNIQUE_ID, OBJECT_GUID);

    private final List<String> candidates;
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param setting {@code auto}, {@code entryUUID}, {@code nsUniqueId} or {@code objectGUID} (any case)
     * @throws IllegalArgumentException naming {@code ldap.idAttribute} for anything else
     */
    public EntryIds(String setting) {
        this.candidates = candidates(setting);
    }

    /** The attributes this setting reads, one or all three. */
    public static List<String> candidates(String setting) {
        if (setting == null || setting.equalsIgnoreCase(AUTO)) {
            return ALL;
        }
        for (String a : ALL) {
            if (a.equalsIgnoreCase(setting)) {
                return List.of(a);
            }
        }
        throw new IllegalArgumentException("ldap.idAttribute: '" + setting + "' is not auto, entryUUID, nsUniqueId "
                + "or objectGUID");
    }

    /** The attributes a search must request so that {@link #id} can answer. */
    public List<String> attributes() {
        return candidates;
    }

    /** Entries skipped for want of an id since start. */
    public long skipped() {
        return skipped.get();
    }

    /** The entry's id in text form, lower case; null if it carries none of the candidates. */
    public String id(SearchResultEntry e) {
        for (String name : candidates) {
            Attribute a = e.getAttribute(name);
            if (a == null || !a.hasValue()) {
                continue;
            }
            if (name.equals(OBJECT_GUID)) {
                byte[] raw = a.getValueByteArray();
                if (raw != null && raw.length == 16) {
                    return guidText(raw);
                }
                continue;
            }
            String v = a.getValue();
            if (v != null && !v.isBlank()) {
                return v.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The entry as the mapping sees it, or empty (logged and counted) if it has no usable id. */
    public Optional<EntrySnapshot> snapshot(SearchResultEntry e) {
        String id = id(e);
        if (id == null) {
            long n = skipped.incrementAndGet();
            LOG.warn("entry {} has no usable {}: skipped ({} so far); see ldap.idAttribute", e.getDN(),
                    String.join("/", candidates), n);
            return Optional.empty();
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Attribute a : e.getAttributes()) {
            if (!a.getBaseName().equalsIgnoreCase(OBJECT_GUID)) { // binary: its text form is the id
                attributes.computeIfAbsent(a.getBaseName(), n -> new ArrayList<>()).addAll(List.of(a.getValues()));
            }
        }
        return Optional.of(new EntrySnapshot(id, e.getDN(), attributes));
    }

    /** AD's canonical text form of a 16-byte objectGUID: the first three fields are little-endian. */
    public static String guidText(byte[] g) {
        if (g.length != 16) {
            throw new IllegalArgumentException("objectGUID: 16 bytes expected, got " + g.length);
        }
        return String.format(Locale.ROOT, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    }

    /** The bytes of a GUID in text form, as AD stores objectGUID (the inverse of {@link #guidText}). */
    public static byte[] guidBytes(String text) {
        String hex = text.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a GUID: " + text);
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        byte[] out = b.clone();
        out[0] = b[3];
        out[1] = b[2];
        out[2] = b[1];
        out[3] = b[0];
        out[4] = b[5];
        out[5] = b[4];
        out[6] = b[7];
        out[7] = b[6];
        return out;
    }

    /** An equality filter on objectGUID for a GUID in text form. */
    public static Filter guidFilter(String text) {
        return Filter.createEqualityFilter(OBJECT_GUID, guidBytes(text));
    }
}
