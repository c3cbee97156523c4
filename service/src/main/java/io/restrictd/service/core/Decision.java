package io.restrictd.service.core;

import io.restrictd.schema.Restriction;
import java.util.List;

/**
 * Why a lookup answered as it did: the candidate keys tried in access(5) order, the key that
 * matched, the winning restriction, and every active restriction found on any candidate.
 *
 * @param candidates the normalised keys tried, most specific first
 * @param matchedKey the key of the winner, or null if nothing matched
 * @param winner     the restriction applied, or null
 * @param matches    every active restriction found, in candidate order, then source order
 */
public record Decision(List<String> candidates, String matchedKey, Restriction winner, List<Restriction> matches) {
    public Decision {
        candidates = List.copyOf(candidates);
        matches = List.copyOf(matches);
    }

    public boolean restricted() {
        return winner != null;
    }
}
