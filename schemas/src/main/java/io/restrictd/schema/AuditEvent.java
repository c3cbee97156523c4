package io.restrictd.schema;

import java.time.Instant;

/**
 * One change to the restrictions, schema {@value #SCHEMA}, written to the audit topic for every add
 * and every lift, so that "who restricted whom, when and why" is answerable.
 *
 * @param op          what happened
 * @param key         the restriction changed
 * @param restriction the restriction set, for {@link Op#ADD}; null for {@link Op#LIFT}
 * @param actor       who made the change (required)
 * @param reason      why (optional for lifts made by a directory sync)
 * @param ticket      an abuse-desk ticket reference (optional)
 * @param at          when
 */
public record AuditEvent(Op op, RestrictionKey key, Restriction restriction, String actor, String reason,
        String ticket, Instant at) {
    public static final String SCHEMA = "restrictd.audit/v1";

    /** The kind of change. */
    public enum Op { ADD, LIFT }

    public AuditEvent {
        if (op == null || key == null || at == null) {
            throw new InvalidEventException("audit: op, key and at are required");
        }
        if (actor == null || actor.isBlank()) {
            throw new InvalidEventException("actor: required in the audit trail");
        }
        if (op == Op.ADD && (restriction == null || !restriction.key().equals(key))) {
            throw new InvalidEventException("restriction: an ADD needs the restriction set, for the same key");
        }
        if (op == Op.LIFT && restriction != null) {
            throw new InvalidEventException("restriction: a LIFT carries none");
        }
    }
}
