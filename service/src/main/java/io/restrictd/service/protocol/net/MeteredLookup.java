package io.restrictd.service.protocol.net;

import io.restrictd.schema.Kind;
import io.restrictd.service.core.Answer;
import io.restrictd.service.core.Lookup;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Lookup} decorator that times each lookup and counts its answers. It also holds the
 * contract "never throws, never null" for the protocols: a lookup that breaks it answers
 * {@link Answer.Unavailable}, so Postfix defers instead of the connection dying.
 */
public final class MeteredLookup implements Lookup {
    private static final Logger LOG = LoggerFactory.getLogger(MeteredLookup.class);

    private final Lookup delegate;
    private final ProtocolMetrics metrics;

    public MeteredLookup(Lookup delegate, ProtocolMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public Answer find(Kind kind, String key) {
        Answer answer;
        long start = System.nanoTime();
        try {
            answer = delegate.find(kind, key);
        } catch (RuntimeException e) {
            LOG.error("lookup of {} '{}' threw; answering unavailable", kind, key, e);
            answer = null;
        } finally {
            metrics.lookup.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (answer == null) {
            answer = new Answer.Unavailable("lookup failed");
        }
        if (answer instanceof Answer.Restricted) {
            metrics.restricted.mark();
        } else if (answer instanceof Answer.Unavailable) {
            metrics.unavailable.mark();
        } else {
            metrics.notRestricted.mark();
        }
        return answer;
    }
}
