package io.restrictd.syncer.ldap;

/**
 * One entry change notification of a persistent search, free of any LDAP library type. DNs are in
 * normalized form (lower case, no redundant spaces), so they can be compared as strings.
 */
public sealed interface PsearchMessage {
    /** What happened to an entry. */
    enum Change { ADD, DELETE, MODIFY, MODDN }

    /**
     * A change to one entry. The notification says nothing reliable about the configured filter (the
     * persistent search watches the whole naming context with {@code (objectClass=*)}, because an entry that
     * stops matching a narrower filter would never be notified): the consumer re-reads the entry.
     *
     * @param change     the change type from the entry change notification control
     * @param dn         the entry's DN after the change (normalized)
     * @param previousDn its DN before a modDN (normalized), else null
     * @param id         its entryUUID, else its nsUniqueId (lower case), or null if it carried neither
     * @param inScope    whether {@code dn} lies within {@code ldap.baseDn} and {@code ldap.scope}
     */
    record Changed(Change change, String dn, String previousDn, String id, boolean inScope)
            implements PsearchMessage {
    }

    /**
     * The search ended (never, while the connection is healthy): the consumer reconnects and reconciles.
     *
     * @param detail the server's result code and message, for the log
     */
    record Ended(String detail) implements PsearchMessage {
    }
}
