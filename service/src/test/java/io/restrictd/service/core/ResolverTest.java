package io.restrictd.service.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final Map<String, List<Restriction>> data = new HashMap<>();
    private final RestrictionReader reader = (kind, subject) -> data.getOrDefault(kind + "|" + subject, List.of());
    private boolean ready = true;
    private final Readiness readiness = new Readiness() {
        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public String notReadyReason() {
            return "catching up";
        }
    };
    private final Resolver resolver = new Resolver(reader, new LookupKeys("+", true),
            Clock.fixed(NOW, ZoneOffset.UTC), readiness);

    private void put(String source, Kind kind, String subject, String action, Instant expiresAt) {
        Restriction r = new Restriction(new RestrictionKey(source, kind, subject), AccessAction.parse(action), null,
                Map.of(), null, null, NOW.minusSeconds(3600), expiresAt);
        data.computeIfAbsent(kind + "|" + r.key().subject(), k -> new ArrayList<>()).add(r);
    }

    @Test
    void shouldAnswerNotRestrictedWhenNothingMatches() {
        assertThat(resolver.find(Kind.SENDER, "nobody@example.org")).isEqualTo(Answer.NOT_RESTRICTED);
    }

    @Test
    void shouldAnswerUnavailableNotNotFoundWhileNotReady() {
        ready = false;
        assertThat(resolver.find(Kind.SENDER, "nobody@example.org"))
                .isEqualTo(new Answer.Unavailable("catching up"));
    }

    @Test
    void shouldPreferTheMostSevereOverTheMostSpecific() {
        put("abuse", Kind.SENDER, "user@example.org", "HOLD review", null);
        put("ldap", Kind.SENDER, "example.org", "REJECT domain blocked", null);
        Answer a = resolver.find(Kind.SENDER, "user@example.org");
        assertThat(a).isInstanceOf(Answer.Restricted.class);
        assertThat(((Answer.Restricted) a).action()).isEqualTo("REJECT domain blocked");
        assertThat(((Answer.Restricted) a).decision().matchedKey()).isEqualTo("example.org");
        assertThat(((Answer.Restricted) a).decision().matches()).hasSize(2);
    }

    @Test
    void shouldPreferTheMostSpecificKeyAmongEquallySevere() {
        put("ldap", Kind.SENDER, "example.org", "REJECT domain", null);
        put("ldap", Kind.SENDER, "user@example.org", "550 5.7.1 account", null);
        assertThat(((Answer.Restricted) resolver.find(Kind.SENDER, "user+tag@example.org")).action())
                .isEqualTo("550 5.7.1 account");
    }

    @Test
    void shouldRankRejectOverDeferOverDiscardOverHold() {
        put("a", Kind.SENDER, "user+x@example.org", "HOLD h", null);
        put("b", Kind.SENDER, "user@example.org", "DISCARD d", null);
        put("c", Kind.SENDER, "example.org", "DEFER later", null);
        assertThat(((Answer.Restricted) resolver.find(Kind.SENDER, "user+x@example.org")).action())
                .isEqualTo("DEFER later");
        put("d", Kind.SENDER, "user@", "REJECT no", null);
        assertThat(((Answer.Restricted) resolver.find(Kind.SENDER, "user+x@example.org")).action())
                .isEqualTo("REJECT no");
    }

    @Test
    void shouldBreakTiesOnTheSameKeyBySourceName() {
        put("ldap", Kind.SENDER, "user@example.org", "REJECT from ldap", null);
        put("abuse", Kind.SENDER, "user@example.org", "REJECT from abuse", null);
        assertThat(((Answer.Restricted) resolver.find(Kind.SENDER, "user@example.org")).action())
                .isEqualTo("REJECT from abuse");
    }

    @Test
    void shouldNeverMatchExpiredRestrictions() {
        put("abuse", Kind.SENDER, "user@example.org", "REJECT expired", NOW);
        put("abuse", Kind.SENDER, "example.org", "DEFER still on", NOW.plusSeconds(1));
        Answer a = resolver.find(Kind.SENDER, "user@example.org");
        assertThat(((Answer.Restricted) a).action()).isEqualTo("DEFER still on");
        assertThat(((Answer.Restricted) a).decision().matches()).hasSize(1);
    }

    @Test
    void shouldMatchTheNullSender() {
        put("abuse", Kind.SENDER, "<>", "REJECT no bounces", null);
        assertThat(resolver.find(Kind.SENDER, "")).isInstanceOf(Answer.Restricted.class);
        assertThat(resolver.find(Kind.SENDER, "<>")).isInstanceOf(Answer.Restricted.class);
    }

    @Test
    void shouldKeepKindsApart() {
        put("abuse", Kind.LOGIN, "alice", "REJECT compromised", null);
        assertThat(resolver.find(Kind.SENDER, "alice")).isEqualTo(Answer.NOT_RESTRICTED);
        assertThat(resolver.find(Kind.LOGIN, "Alice")).isInstanceOf(Answer.Restricted.class);
    }

    @Test
    void shouldAnswerUnavailableWhenTheStoreFails() {
        Resolver broken = new Resolver((k, s) -> {
            throw new IllegalStateException("closed");
        }, new LookupKeys("+", true), Clock.fixed(NOW, ZoneOffset.UTC), readiness);
        assertThat(broken.find(Kind.SENDER, "a@b.org")).isInstanceOf(Answer.Unavailable.class);
    }
}
