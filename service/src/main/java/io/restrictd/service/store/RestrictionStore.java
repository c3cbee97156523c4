package io.restrictd.service.store;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.service.core.RestrictionReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The node's durable copy of the restrictions topic: restrictions by kind and subject, one per
 * source, and the topic position they cover, always committed together.
 *
 * <p>Contract:
 * <ul>
 *   <li>Thread-safety: readers ({@link #get}, {@link #size}, {@link #position}, {@link #syncedAt},
 *       {@link #forEach}) never block and run concurrently with writers ({@link #commit},
 *       {@link #sweepExpired}); writers are serialised by the store, and may wait for its housekeeping (a
 *       table written in the background, seconds at a million restrictions) when they outrun it. A reader
 *       may see a commit's changes appear one by one (each is a valid state on its own, so it never sees
 *       anything that was not published); {@link #position} moves only once all of them are
 *       visible.</li>
 *   <li>Durability: when {@link #commit} or {@link #sweepExpired} returns, its changes and position are on
 *       the device. After a crash at any instant (kill -9, power loss) the store reopens with the data and
 *       position of the last commit that returned or of the one in flight: never a mix, never fewer
 *       restrictions than some commit left.</li>
 *   <li>Nulls: arguments are never null; results are never null (empty lists, {@link Position#UNKNOWN})
 *       except {@link #syncedAt}, null until some commit said the store was caught up.</li>
 *   <li>Failures: a write that fails (disk full, I/O error) throws {@link StoreException} and leaves the store
 *       as it was before the call, readable and writable again once the cause is gone. After {@link #close}
 *       every method but close throws {@link StoreException}.</li>
 * </ul>
 */
public interface RestrictionStore extends RestrictionReader, AutoCloseable {
    /** Every stored restriction on a normalised subject, expired ones included, in source order. */
    @Override
    List<Restriction> get(Kind kind, String subject);

    /** The position the stored data covers: where ingest resumes. */
    Position position();

    /** When a commit last recorded that this store was caught up with the topic, or null if none has. */
    Instant syncedAt();

    /**
     * Applies {@code changes} in order, then records {@code position} (and, if {@code caughtUp}, {@code now}
     * as {@link #syncedAt}), in one commit. A put whose restriction has already expired at {@code now} is
     * stored as a lift.
     */
    void commit(List<Change> changes, Position position, Instant now, boolean caughtUp);

    /** Lifts up to {@code max} restrictions that expired at or before {@code now}, in one commit; returns how many. */
    int sweepExpired(Instant now, int max);

    /** The number of stored restrictions (all sources, kinds and subjects). */
    long size();

    /** Visits every stored restriction; a consistent snapshot is not guaranteed while commits run. */
    void forEach(Consumer<Restriction> visitor);

    /** Where the store keeps its files (for operators: health, status). */
    Path location();

    /** Closes the store; idempotent. */
    @Override
    void close();
}
