package io.restrictd.service.core;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import java.util.List;

/** Read access to stored restrictions, as the lookup path needs it. */
@FunctionalInterface
public interface RestrictionReader {
    /**
     * Every stored restriction on one normalised subject, one per source, expired ones included
     * (the caller decides with its clock). Never null; empty if none. Thread-safe.
     *
     * @throws RuntimeException if the store cannot be read (closed, I/O error)
     */
    List<Restriction> get(Kind kind, String subject);
}
