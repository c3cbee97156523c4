package io.restrictd.service.store;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.util.List;
import java.util.Objects;

/** One change to apply to a store: set a restriction, or lift one. */
public sealed interface Change {
    /** The restriction's identity. */
    RestrictionKey key();

    /**
     * Set (or replace) the restriction for its source, kind and subject. Encodes the value it stores for a subject
     * with no other source's restriction (nearly every one) when it is made: ingest makes its changes on the decode
     * thread, so the ingest thread, which commits them one after another, does not encode them too.
     */
    final class Put implements Change {
        private final Restriction restriction;
        private final byte[] alone;

        public Put(Restriction restriction) {
            this.restriction = Objects.requireNonNull(restriction, "restriction");
            this.alone = RestrictionBinary.encode(List.of(restriction));
        }

        public Restriction restriction() {
            return restriction;
        }

        @Override
        public RestrictionKey key() {
            return restriction.key();
        }

        /** The stored value of this restriction alone; never modified (stores keep it as it is). */
        byte[] encodedAlone() {
            return alone;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put other && restriction.equals(other.restriction);
        }

        @Override
        public int hashCode() {
            return restriction.hashCode();
        }

        @Override
        public String toString() {
            return "Put[" + restriction + "]";
        }
    }

    /** Lift the restriction for this source, kind and subject; a no-op if there is none. */
    record Lift(RestrictionKey key) implements Change {
    }
}
