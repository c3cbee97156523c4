package io.restrictd.service.store;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.service.core.RestrictionReader;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The node's durable copy of the restrictions topic: restrictions by kind and subject, one per
 * source, and the topic position they cover, always committed together.
 *
 * <p>Contract:
 * <ul>
 *   <li>Thread-safety: any number of readers ({@link #get}, {@link #size}, {@link #forEach},
 *       {@link #position}) run concurrently with one writer ({@link #commit}, {@link #sweepExpired}).
 *       Callers must not run two writers at once. A reader may wait while a commit runs; callers
 *       bound batch sizes so that stays short.</li>
 *   <li>Durability: {@link #commit} applies the changes, then records the position, in one atomic
 *       commit. After a crash at any instant the store reopens with both or neither.</li>
 *   <li>Nulls: arguments are never null; results are never null (empty lists, {@link Position#UNKNOWN}).</li>
 *   <li>Failures: I/O and corruption surface as {@link StoreException}; after {@link #close} every
 *       method but close throws {@link StoreException}.</li>
 * </ul>
 */
public interface RestrictionStore extends RestrictionReader, AutoCloseable {
    /** Every stored restriction on a normalised subject, expired ones included, in source order. */
    @Override
    List<Restriction> get(Kind kind, String subject);

    /** The position the stored data covers: where ingest resumes. */
    Position position();

    /**
     * Applies {@code changes} in order, then records {@code position}, in one commit. A put whose
     * restriction has already expired at {@code now} is stored as a lift.
     */
    void commit(List<Change> changes, Position position, Instant now);

    /** Removes up to {@code max} restrictions that expired before {@code now}, in one commit; returns how many. */
    int sweepExpired(Instant now, int max);

    /** The number of stored restrictions (all sources, kinds and subjects). */
    long size();

    /** Visits every stored restriction; a consistent snapshot is not guaranteed while commits run. */
    void forEach(Consumer<Restriction> visitor);

    /** Closes the store; idempotent. */
    @Override
    void close();
}
