package io.restrictd.service;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.restrictd.schema.EventCodec;
import io.restrictd.service.core.Resolver;
import io.restrictd.service.ingest.RestrictionIngest;
import io.restrictd.service.store.StoreDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a node Postfix depends on: the store, opened, and the socketmap and policy servers answering
 * from it; ingest is built but not started. Started on its own, before Dropwizard builds Jersey and Jetty
 * (a second or more), so a node restarted during a mail peak answers from its store as soon as the store is
 * open; {@link RestrictdApplication#run} then adds ingest, health and the HTTP side around it.
 */
final class LookupNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LookupNode.class);

    private final StoreDirectory stores;
    private final RestrictionIngest ingest;
    private final Resolver resolver;
    private final List<Managed> servers;
    private boolean closed;

    private LookupNode(StoreDirectory stores, RestrictionIngest ingest, Resolver resolver, List<Managed> servers) {
        this.stores = stores;
        this.ingest = ingest;
        this.resolver = resolver;
        this.servers = servers;
    }

    /** Opens the store and starts both protocol servers; on any failure closes what it opened and throws. */
    static LookupNode start(RestrictdConfiguration config, MetricRegistry metrics, Clock clock) throws Exception {
        StoreDirectory stores = config.getStore().open();
        List<Managed> started = new ArrayList<>(2);
        try {
            RestrictionIngest ingest = new RestrictionIngest(config.getKafka(), config.getIngest(), stores,
                    new EventCodec(), clock, metrics);
            Resolver resolver = new Resolver(stores.reader(), config.getLookup().build(), clock, ingest);
            for (Managed server : List.of(config.getSocketmap().build(resolver, metrics),
                    config.getPolicy().build(resolver, metrics))) {
                server.start();
                started.add(server);
            }
            return new LookupNode(stores, ingest, resolver, started);
        } catch (Exception | Error e) {
            new LookupNode(stores, null, null, started).close();
            throw e;
        }
    }

    StoreDirectory stores() {
        return stores;
    }

    RestrictionIngest ingest() {
        return ingest;
    }

    Resolver resolver() {
        return resolver;
    }

    /** Stops the protocol servers, then closes the store (every server reads it); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Managed server : servers) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", server, e.toString());
            }
        }
        stores.close();
    }
}
