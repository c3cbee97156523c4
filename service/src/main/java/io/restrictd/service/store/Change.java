package io.restrictd.service.store;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;

/** One change to apply to a store: set a restriction, or lift one. */
public sealed interface Change {
    /** The restriction's identity. */
    RestrictionKey key();

    /** Set (or replace) the restriction for its source, kind and subject. */
    record Put(Restriction restriction) implements Change {
        @Override
        public RestrictionKey key() {
            return restriction.key();
        }
    }

    /** Lift the restriction for this source, kind and subject; a no-op if there is none. */
    record Lift(RestrictionKey key) implements Change {
    }
}
