package io.restrictd.syncer.source;

import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.mapping.EntryMapper;
import java.time.Clock;

/** The one place that maps {@code ldap.mode} to the class that follows the directory that way. */
public final class SyncSources {
    private SyncSources() {
    }

    /** The source for {@code settings.mode()}, reporting to {@code status}. */
    public static SyncSource create(SyncerSettings settings, Directory directory, EntryMapper mapper,
            SyncerStatus status, Clock clock) {
        return switch (settings.mode()) {
            case SYNCREPL -> new SyncreplSource(directory, mapper, status);
            case PSEARCH -> new PsearchSource(directory, settings.ldap(), mapper, status, clock);
            case POLL -> new PollSource(directory, mapper, status, settings.pollInterval());
            case DIRSYNC -> new DirsyncSource(directory, settings.ldap(), mapper, status, clock,
                    settings.pollInterval());
        };
    }
}
