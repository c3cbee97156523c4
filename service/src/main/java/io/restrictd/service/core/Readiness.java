package io.restrictd.service.core;

/** Whether the node may answer lookups. Implementations are thread-safe and cheap to call. */
public interface Readiness {
    /** True once the store holds everything published up to the node's start (or it had a store). */
    boolean ready();

    /** Why the node is not ready, for replies and health; unspecified when {@link #ready()} is true. */
    String notReadyReason();
}
