package io.restrictd.syncer.mapping;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.RestrictionKey;
import java.util.List;

/**
 * How entries become restrictions: which attributes hold sender addresses and logins, the action every
 * restricted entry gets, and the optional per-entry attributes that override message, action and expiry.
 *
 * @param source            the event source, {@code ldap} by default
 * @param senderAttributes  attributes whose values are envelope senders (e.g. mail, mailAlternateAddress)
 * @param loginAttributes   attributes whose values are SASL logins (e.g. uid); may be empty
 * @param action            the action template, used unless the entry's own action attribute is valid
 * @param messageAttribute  attribute whose value replaces the action's message, or null
 * @param actionAttribute   attribute holding a per-entry access(5) action, or null
 * @param expiryAttribute   attribute holding a GeneralizedTime after which the restriction ends, or null
 */
public record Mapping(String source, List<String> senderAttributes, List<String> loginAttributes,
        AccessAction action, String messageAttribute, String actionAttribute, String expiryAttribute) {
    public static final String DEFAULT_SOURCE = "ldap";

    public Mapping {
        RestrictionKey.checkSource(source);
        senderAttributes = List.copyOf(senderAttributes);
        loginAttributes = List.copyOf(loginAttributes);
        if (senderAttributes.isEmpty() && loginAttributes.isEmpty()) {
            throw new IllegalArgumentException("mapping: senderAttributes and loginAttributes are both empty");
        }
        if (action == null) {
            throw new IllegalArgumentException("mapping.action: missing");
        }
    }

    /** The attributes a search must return for this mapping (entryUUID included). */
    public List<String> requestedAttributes() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        all.add("entryUUID");
        all.addAll(senderAttributes);
        all.addAll(loginAttributes);
        for (String a : new String[] {messageAttribute, actionAttribute, expiryAttribute}) {
            if (a != null) {
                all.add(a);
            }
        }
        return List.copyOf(all);
    }
}
