package io.restrictd.service.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a store stands in the topic: for each partition, the offset of the next record to read.
 * Immutable. {@link #UNKNOWN} (no partitions) means the store has never ingested anything.
 */
public record Position(Map<Integer, Long> nextOffsets) {
    public static final Position UNKNOWN = new Position(Map.of());

    public Position {
        nextOffsets = Collections.unmodifiableMap(new TreeMap<>(nextOffsets));
    }

    /** True if this store has never recorded an offset. */
    public boolean isUnknown() {
        return nextOffsets.isEmpty();
    }

    /** The next offset to read in a partition, or -1 if this position does not cover it. */
    public long next(int partition) {
        Long offset = nextOffsets.get(partition);
        return offset == null ? -1 : offset;
    }

    /** This position with every partition in {@code other} moved to the offset {@code other} holds. */
    public Position with(Map<Integer, Long> other) {
        Map<Integer, Long> copy = new TreeMap<>(nextOffsets);
        copy.putAll(other);
        return new Position(copy);
    }
}
