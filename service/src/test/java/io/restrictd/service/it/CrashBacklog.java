package io.restrictd.service.it;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * The events {@link NodeCrashLoopIT} publishes: puts, replacements and lifts over a fixed set of sender
 * subjects, some expiring within minutes (so the node sweeps all along), some already expired when published,
 * and bursts that expire together (a large sweep at a known instant). One source per subject, so a subject's
 * answer is its one restriction's. Deterministic for a seed.
 */
final class CrashBacklog {
    static final String SOURCE = "crash";
    static final String DOMAIN = "crash.example";

    private final Events events;
    private final int subjects;
    private final Random random;
    private long serial;

    CrashBacklog(Events events, int subjects, long seed) {
        this.events = events;
        this.subjects = subjects;
        this.random = new Random(seed);
    }

    static String subject(int i) {
        return "c" + i + "@" + DOMAIN;
    }

    static String key(int i) {
        return new RestrictionKey(SOURCE, Kind.SENDER, subject(i)).wire();
    }

    /** Publishes {@code count} random changes and waits until the broker has them all. */
    void publish(int count) {
        Instant now = Instant.now();
        for (int n = 0; n < count; n++) {
            int i = random.nextInt(subjects);
            double kind = random.nextDouble();
            if (kind < 0.2) {
                events.liftAsync(new RestrictionKey(SOURCE, Kind.SENDER, subject(i)));
            } else if (kind < 0.45) {
                events.putAsync(restriction(i, now, now.plusSeconds(5 + random.nextInt(240))));
            } else if (kind < 0.48) {
                events.putAsync(restriction(i, now.minusSeconds(60), now.minusSeconds(1))); // expired already
            } else {
                events.putAsync(restriction(i, now, null));
            }
        }
        events.flush();
    }

    /** Publishes {@code count} restrictions on random subjects that all expire at {@code at}. */
    void publishExpiringAt(int count, Instant at) {
        Instant now = Instant.now();
        for (int n = 0; n < count; n++) {
            events.putAsync(restriction(random.nextInt(subjects), now, at));
        }
        events.flush();
    }

    private Restriction restriction(int i, Instant createdAt, Instant expiresAt) {
        long s = ++serial;
        String action = switch ((int) (s % 3)) {
            case 0 -> "REJECT crash loop " + s;
            case 1 -> "DEFER crash loop " + s;
            default -> "550 5.7.1 crash loop " + s;
        };
        return new Restriction(new RestrictionKey(SOURCE, Kind.SENDER, subject(i)), AccessAction.parse(action),
                "node crash loop", Map.of("test", "NodeCrashLoopIT"), "it@test", null, createdAt, expiresAt);
    }
}
