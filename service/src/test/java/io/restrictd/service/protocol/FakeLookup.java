package io.restrictd.service.protocol;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.service.core.Answer;
import io.restrictd.service.core.Decision;
import io.restrictd.service.core.Lookup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A Lookup from a fixed table; every lookup is recorded as "kind|key". */
public final class FakeLookup implements Lookup {
    public static final String REJECT_ACTION =
            "REJECT This account is not allowed to send emails, plz talk to abuse@example.org";

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    public final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The fixture used by the golden files. */
    public static FakeLookup standard() {
        return new FakeLookup()
                .restrict(Kind.SENDER, "testuser2@example.org", REJECT_ACTION)
                .restrict(Kind.SENDER, "deferred@example.org", "DEFER try later")
                .restrict(Kind.SENDER, "<>", "HOLD null sender held")
                .restrict(Kind.SENDER, "", "HOLD null sender held")
                .restrict(Kind.SENDER, "uni\u00e7ode@exampl\u00e9.org", "550 5.7.1 Unicode sender refused")
                .restrict(Kind.LOGIN, "testuser2", "DISCARD login discarded")
                .restrict(Kind.LOGIN, "spammer", "554 5.7.1 Login suspended")
                .unavailable(Kind.SENDER, "late@example.org", "still catching up")
                .unavailable(Kind.LOGIN, "late", "still catching up");
    }

    public FakeLookup restrict(Kind kind, String key, String action) {
        answers.put(kind + "|" + key, restricted(kind, key, action));
        return this;
    }

    public FakeLookup unavailable(Kind kind, String key, String reason) {
        answers.put(kind + "|" + key, new Answer.Unavailable(reason));
        return this;
    }

    @Override
    public Answer find(Kind kind, String key) {
        asked.add(kind + "|" + key);
        return answers.getOrDefault(kind + "|" + key, Answer.NOT_RESTRICTED);
    }

    /** A Restricted answer with a full Decision, as the core builds it. */
    public static Answer.Restricted restricted(Kind kind, String key, String actionText) {
        AccessAction action = AccessAction.parse(actionText);
        String subject = key.isEmpty() ? "<>" : key;
        Restriction winner = new Restriction(new RestrictionKey("test", kind, subject), action, null, Map.of(),
                null, null, Instant.parse("2024-01-01T00:00:00Z"), null);
        Decision decision = new Decision(List.of(winner.key().subject()), winner.key().subject(), winner,
                List.of(winner));
        return new Answer.Restricted(action.render(), decision);
    }
}
