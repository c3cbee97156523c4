package io.restrictd.schema;

import java.time.Instant;
import java.util.Map;

/**
 * One restriction event, schema {@value #SCHEMA}: the value of a record on the restrictions topic.
 * A lift is not an event but a tombstone (a record with this key and a null value).
 *
 * @param key       who set it, what it matches, and the normalised subject
 * @param action    the access(5) action Postfix applies
 * @param reason    why, for people (optional)
 * @param origin    where it came from, e.g. {@code dn} and {@code entryId} for LDAP ({@link EntryOrigin}; never
 *                  null)
 * @param actor     who made the change (optional)
 * @param ticket    an abuse-desk ticket reference (optional)
 * @param createdAt when the restriction was set
 * @param expiresAt when it stops matching, or null for never
 */
public record Restriction(RestrictionKey key, AccessAction action, String reason, Map<String, String> origin,
        String actor, String ticket, Instant createdAt, Instant expiresAt) {
    public static final String SCHEMA = "restrictd.restriction/v1";

    public Restriction {
        if (key == null) {
            throw new InvalidEventException("key: missing");
        }
        if (action == null) {
            throw new InvalidEventException("action: missing");
        }
        if (createdAt == null) {
            throw new InvalidEventException("createdAt: missing");
        }
        if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
            throw new InvalidEventException("expiresAt: must be after createdAt");
        }
        origin = origin == null ? Map.of() : Map.copyOf(origin);
    }

    /** True if this restriction still applies at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
