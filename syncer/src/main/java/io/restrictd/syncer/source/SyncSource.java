package io.restrictd.syncer.source;

/** One way of following the directory. */
public interface SyncSource {
    /** Follows the directory, publishing through committer, until running turns false, the session ends, or an LdapUnavailableException/KafkaException is thrown; reports each open session (to close it from another thread). */
    void run(Committer committer, java.util.function.BooleanSupplier running, java.util.function.Consumer<AutoCloseable> sessions) throws InterruptedException;
}
