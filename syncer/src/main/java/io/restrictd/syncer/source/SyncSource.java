package io.restrictd.syncer.source;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One way of following the directory (syncrepl, psearch, poll, ...): one class per {@code ldap.mode}, chosen
 * once by the composition root ({@link SyncSources#create}) and driven by the {@link Syncer}. Called on the
 * sync thread only; an implementation keeps whatever it carries from one session to the next.
 */
public interface SyncSource {
    /**
     * Follows the directory, publishing through {@code committer}, until {@code running} turns false or the
     * session ends; the coordinator then calls it again (after checking leadership).
     *
     * @param committer the committed state and position to work from, and the only way to publish
     * @param running   checked between steps; false once the syncer is closed or deposed
     * @param sessions  told of each directory session as it opens, so that another thread can close it
     * @throws io.restrictd.syncer.ldap.LdapUnavailableException     the directory is unreachable: back off, resume
     * @throws io.restrictd.syncer.ldap.LdapFatalException           configuration or credentials: stop
     * @throws org.apache.kafka.common.KafkaException                publishing failed: re-read, then resume
     */
    void run(Committer committer, BooleanSupplier running, Consumer<AutoCloseable> sessions)
            throws InterruptedException;
}
