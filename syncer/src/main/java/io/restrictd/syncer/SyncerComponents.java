package io.restrictd.syncer;

import com.codahale.metrics.MetricRegistry;
import io.restrictd.schema.EventCodec;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.publish.SyncPublisher;
import io.restrictd.syncer.publish.TopicReader;
import io.restrictd.syncer.source.SyncSource;
import io.restrictd.syncer.source.SyncSources;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.syncer.source.SyncerStatus;
import java.time.Clock;

/**
 * The syncer's composition root, as {@code RestrictdApplication} is the node's: builds the directory client,
 * the mapping, the source for the configured mode, the publisher, the reader of what is committed and the
 * status, with plain constructors, and hands them to the {@link Syncer}. The standalone syncer and all-in-one
 * both build their syncer here; only the metric registry differs (all-in-one shares the node's).
 */
public final class SyncerComponents {
    private SyncerComponents() {
    }

    /**
     * @param registry the process's metric registry; the syncer's metrics ({@code syncer.*}) are added to it
     */
    public static Syncer build(SyncerSettings settings, Clock clock, MetricRegistry registry) {
        EventCodec codec = new EventCodec();
        EntryMapper mapper = new EntryMapper(settings.mapping(), clock);
        registry.gauge("syncer.skipped_values", () -> mapper::skipped);
        SyncerStatus status = new SyncerStatus(clock, registry);
        Directory directory = new Directory(settings.ldap());
        registry.gauge("syncer.skipped_entries", () -> directory.ids()::skipped);
        SyncSource source = SyncSources.create(settings, directory, mapper, status, clock);
        SyncPublisher publisher = new SyncPublisher(settings.kafka(), settings.id(), codec, clock);
        TopicReader reader = new TopicReader(settings.kafka(), codec);
        return new Syncer(settings, source, publisher, reader, status, clock);
    }
}
