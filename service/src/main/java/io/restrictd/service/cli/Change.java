package io.restrictd.service.cli;

import io.restrictd.schema.AuditEvent;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Instant;

/**
 * One change to publish: the record for the restrictions topic (a restriction, or a tombstone)
 * and its audit record, which always travel in the same transaction.
 *
 * @param key         the record key
 * @param restriction the new value, or null for a lift (tombstone)
 * @param audit       the audit event for it
 */
public record Change(RestrictionKey key, Restriction restriction, AuditEvent audit) {
    public Change {
        if (audit.op() == AuditEvent.Op.ADD ? restriction == null : restriction != null) {
            throw new IllegalArgumentException("an ADD carries a restriction, a LIFT a tombstone");
        }
    }

    /** Sets (or replaces) a restriction. */
    public static Change add(Restriction r, String actor, Instant at) {
        return new Change(r.key(), r, new AuditEvent(AuditEvent.Op.ADD, r.key(), r, actor, r.reason(), r.ticket(), at));
    }

    /** Lifts the restriction under {@code key}. */
    public static Change lift(RestrictionKey key, String actor, String reason, String ticket, Instant at) {
        return new Change(key, null, new AuditEvent(AuditEvent.Op.LIFT, key, null, actor, reason, ticket, at));
    }
}
