package io.restrictd.kafka;

import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.RestrictionKey;
import java.nio.charset.StandardCharsets;

/**
 * One record as read from a topic.
 *
 * @param key   the key bytes, or null
 * @param value the value bytes, or null for a tombstone
 */
public record TopicRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
    /** {@code topic-partition@offset}, as every report names a record. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }

    /** The key as UTF-8 text (malformed bytes replaced), or null; for keys that are not restriction keys. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /**
     * The key of a restrictions-topic record, by the one rule every reader applies (the lookup node's, the
     * CLI's and the syncer's): present, valid UTF-8, {@code source|kind|subject}, and in normal form. A key
     * in another form is a bad record, never silently normalised: compaction works on the key bytes, so if
     * {@code User@X} and {@code user@x} were both accepted, a tombstone on one would lift a restriction that
     * compaction keeps under the other.
     *
     * @throws InvalidEventException naming what is wrong with the key
     */
    public RestrictionKey restrictionKey() {
        return restrictionKey(key);
    }

    /** {@link #restrictionKey()} of raw key bytes (null for none): for readers that hold no record. */
    public static RestrictionKey restrictionKey(byte[] key) {
        if (key == null) {
            throw new InvalidEventException("key: missing (records must be keyed source|kind|subject)");
        }
        RestrictionKey parsed = RestrictionKey.parse(key); // rejects malformed UTF-8
        String text = new String(key, StandardCharsets.UTF_8);
        if (!parsed.wire().equals(text)) {
            throw new InvalidEventException("key: '" + text + "' is not in normal form (expected '"
                    + parsed.wire() + "')");
        }
        return parsed;
    }
}
