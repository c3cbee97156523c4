package io.restrictd.service.store;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic topic the crash loop writes and checks against: the change at each offset, the batches
 * they are committed in (boundaries fixed from offset 0, so every run commits the same batches), and the
 * clock of each batch. Puts carry their offset in the action, so a store holding a mix of two states shows it.
 */
final class CrashLoopHistory {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final int SUBJECTS = 3000;

    private CrashLoopHistory() {
    }

    /** The node's clock when the batch ending before {@code offset} is committed: 10 ms per offset. */
    static Instant now(long offset) {
        return T0.plusMillis(10 * offset);
    }

    /** Where the batch starting at {@code offset} ends (exclusive): 1 to 2500 changes. */
    static long batchEnd(long offset) {
        return offset + 1 + Math.floorMod(mix(offset * 31 + 7), 2500);
    }

    static Change change(long offset) {
        long h = mix(offset);
        String subject = "u" + Math.floorMod(h, SUBJECTS) + "@example.org";
        RestrictionKey key = new RestrictionKey(((h >>> 20) & 1) == 0 ? "ldap" : "abuse", Kind.SENDER, subject);
        int type = (int) Math.floorMod(h >>> 24, 10);
        if (type < 2) {
            return new Change.Lift(key);
        }
        Instant expires = switch (type) {
            case 2, 3, 4 -> now(offset).plusMillis(10 * Math.floorMod(h >>> 32, 4000)); // expires a few batches on
            case 5 -> now(offset).minusSeconds(1); // already expired: stored as a lift
            default -> null;
        };
        return new Change.Put(new Restriction(key, AccessAction.parse("REJECT offset " + offset), "crash loop",
                Map.of(), "test", null, T0.minusSeconds(3600), expires));
    }

    /** The changes of the batch starting at {@code offset}. */
    static List<Change> batch(long offset) {
        List<Change> out = new ArrayList<>();
        for (long o = offset; o < batchEnd(offset); o++) {
            out.add(change(o));
        }
        return out;
    }

    /**
     * What a store at {@code position} must hold: source|subject to the restriction, as the store's commit rules
     * leave it (a put already expired at its batch's clock is a lift); expired restrictions included, since
     * a sweep may or may not have removed them.
     */
    static Map<String, Restriction> model(long position) {
        Map<String, Restriction> model = new HashMap<>();
        for (long start = 0; start < position; start = batchEnd(start)) {
            Instant now = now(batchEnd(start));
            for (Change c : batch(start)) {
                String key = c.key().source() + "|" + c.key().subject();
                if (c instanceof Change.Put put && put.restriction().activeAt(now)) {
                    model.put(key, put.restriction());
                } else {
                    model.remove(key);
                }
            }
        }
        return model;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
