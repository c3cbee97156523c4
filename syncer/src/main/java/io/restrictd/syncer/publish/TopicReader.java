package io.restrictd.syncer.publish;

import io.restrictd.kafka.TopicRecord;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.position.SyncPosition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what is committed: the restrictions this syncer's source owns, and this syncer's last position,
 * each with the shared {@link io.restrictd.kafka.TopicReader} (every partition, {@code read_committed}, to
 * the end offsets taken at the start), folded by key, tombstones included.
 *
 * <p>Bad records follow the one rule of {@link TopicRecord#restrictionKey()}: a record whose key is missing,
 * not UTF-8, not {@code source|kind|subject} or not in normal form, or whose value breaks the contract, is
 * logged with its topic-partition@offset and left out; the key's earlier state stands, as on a lookup node
 * under {@code ingest.badRecords: SKIP}.
 */
public final class TopicReader {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);

    private final KafkaSettings kafka;
    private final EventCodec codec;
    private final io.restrictd.kafka.TopicReader reader;

    public TopicReader(KafkaSettings kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
        this.reader = new io.restrictd.kafka.TopicReader(kafka.client(), "syncer-reader");
    }

    /** The committed restrictions of {@code source}, one per key. */
    public Collection<Restriction> restrictions(String source) {
        Map<RestrictionKey, Restriction> view = new HashMap<>();
        String prefix = source + "|";
        reader.readToEnd(kafka.topic(), r -> {
            String text = r.keyText();
            if (text != null && !text.startsWith(prefix)) {
                return; // another source's: never ours to judge or lift
            }
            try {
                RestrictionKey k = r.restrictionKey();
                if (r.value() == null) {
                    view.remove(k);
                } else {
                    view.put(k, codec.decodeRestriction(k, r.value()));
                }
            } catch (InvalidEventException e) {
                LOG.warn("skipping bad record at {}: {}", r.where(), e.getMessage());
            }
        });
        return new ArrayList<>(view.values());
    }

    /** The last committed position of {@code syncerId}, or {@link SyncPosition#UNKNOWN}. */
    public SyncPosition position(String syncerId) {
        SyncPosition[] last = {SyncPosition.UNKNOWN};
        reader.readToEnd(kafka.stateTopic(), r -> {
            if (syncerId.equals(r.keyText())) {
                try {
                    last[0] = r.value() == null ? SyncPosition.UNKNOWN : SyncPosition.decode(r.value());
                } catch (IllegalArgumentException e) {
                    LOG.warn("ignoring position record at {}: {}", r.where(), e.getMessage());
                    last[0] = SyncPosition.UNKNOWN;
                }
            }
        });
        return last[0];
    }
}
