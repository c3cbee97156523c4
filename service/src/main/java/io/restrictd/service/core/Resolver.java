package io.restrictd.service.core;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers lookups from the store with access(5) semantics and restrictd's precedence:
 * expired restrictions never match; among the rest the most severe action wins (5xx/REJECT over
 * 4xx/DEFER over DISCARD over HOLD), then the most specific key (access(5) order), then the source
 * name in alphabetical order so the answer is deterministic.
 *
 * <p>Thread-safe: holds no mutable state of its own.
 */
public final class Resolver implements Lookup {
    private static final Logger LOG = LoggerFactory.getLogger(Resolver.class);

    private static final Comparator<Restriction> BY_SOURCE = Comparator.comparing(r -> r.key().source());

    private final RestrictionReader reader;
    private final LookupKeys keys;
    private final Clock clock;
    private final Readiness readiness;

    public Resolver(RestrictionReader reader, LookupKeys keys, Clock clock, Readiness readiness) {
        this.reader = reader;
        this.keys = keys;
        this.clock = clock;
        this.readiness = readiness;
    }

    @Override
    public Answer find(Kind kind, String key) {
        if (!readiness.ready()) {
            return new Answer.Unavailable(readiness.notReadyReason());
        }
        Decision decision;
        try {
            decision = explain(kind, key);
        } catch (RuntimeException e) {
            LOG.error("lookup of {} '{}' failed in the store", kind, key, e);
            return new Answer.Unavailable("store unavailable");
        }
        return decision.restricted()
                ? new Answer.Restricted(decision.winner().action().render(), decision)
                : Answer.NOT_RESTRICTED;
    }

    /** The full reasoning for one key, whatever the node's readiness. */
    public Decision explain(Kind kind, String key) {
        List<String> candidates = keys.expand(kind, key);
        Instant now = clock.instant();
        List<Restriction> matches = new ArrayList<>(2);
        Restriction winner = null;
        String matchedKey = null;
        for (int rank = 0; rank < candidates.size(); rank++) {
            List<Restriction> stored = reader.get(kind, candidates.get(rank));
            if (stored.isEmpty()) {
                continue; // the common case: most keys of most lookups are misses
            }
            List<Restriction> found = new ArrayList<>(stored);
            found.sort(BY_SOURCE); // a later candidate wins only if strictly more severe
            for (Restriction r : found) {
                if (!r.activeAt(now)) {
                    continue;
                }
                matches.add(r);
                if (winner == null || r.action().severity() > winner.action().severity()) {
                    winner = r;
                    matchedKey = candidates.get(rank);
                }
            }
        }
        return new Decision(candidates, matchedKey, winner, matches);
    }
}
