package io.restrictd.service.ingest;

import io.restrictd.kafka.TopicRecord;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.service.store.Change;

/**
 * Turns one topic record into a store change: a null value lifts its key, anything else must be a
 * valid v1 restriction for that same key. Pure and thread-safe.
 *
 * <p>Keys must be in normal form: compaction works on the key bytes, so if {@code User@X} and
 * {@code user@x} were both accepted, a tombstone on one would lift the node's restriction while
 * compaction kept the other, and a rebuilt node would disagree with a running one.
 */
final class RecordDecoder {
    private final EventCodec codec;

    RecordDecoder(EventCodec codec) {
        this.codec = codec;
    }

    /** @throws InvalidEventException naming what is wrong with the record */
    Change decode(byte[] key, byte[] value) {
        RestrictionKey restrictionKey = TopicRecord.restrictionKey(key); // the one key rule of every reader
        if (value == null) {
            return new Change.Lift(restrictionKey);
        }
        return new Change.Put(codec.decodeRestriction(restrictionKey, value));
    }
}
