package io.restrictd.syncer.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.PsearchMessage;
import io.restrictd.syncer.ldap.PsearchMessage.Change;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.mapping.EntrySnapshot;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.syncer.state.PublishedState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A periodic reconciliation planned against the published state: what it publishes and what it reports missed. */
class ReconciliationTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Mapping MAPPING = new Mapping("ldap", List.of("mail"), List.of("uid"),
            AccessAction.parse("REJECT no"), null, null, "smtpdSenderRestrictionExpiry");
    private static final String BASE = "ou=people,dc=example,dc=org";

    private final EntryMapper mapper = new EntryMapper(MAPPING, Clock.fixed(NOW, ZoneOffset.UTC));

    private static EntrySnapshot person(String id, String uid, String... extra) {
        Map<String, List<String>> a = new HashMap<>(Map.of("uid", List.of(uid), "mail", List.of(uid + "@example.org")));
        for (int i = 0; i < extra.length; i += 2) {
            a.put(extra[i], List.of(extra[i + 1]));
        }
        return new EntrySnapshot(id, "uid=" + uid + "," + BASE, a);
    }

    private static RestrictionKey sender(String s) {
        return new RestrictionKey("ldap", Kind.SENDER, s);
    }

    /** The state after the connect-time reconciliation of {@code entries} has committed. */
    private PublishedState published(EntryMapper m, EntrySnapshot... entries) {
        PublishedState state = new PublishedState();
        Reconciliation r = Reconciliation.plan(state, m, List.of(entries), List.of(), NOW);
        state.apply(r.changes());
        return state;
    }

    @Test
    void shouldPublishNothingAndCommitNothingWhenTheDirectoryMatchesThePublishedState() {
        PublishedState state = published(mapper, person("a", "ua"), person("b", "ub"));

        Reconciliation r = Reconciliation.plan(state, mapper, List.of(person("a", "ua"), person("b", "ub")),
                List.of(), NOW.plusSeconds(3600));

        assertThat(r.changes().isEmpty()).isTrue();
        assertThat(r.unexplained()).isEmpty();
        assertThat(r.commits(false)).isFalse(); // periodic: no empty transaction
        assertThat(r.commits(true)).isTrue(); // at connect: the marker is committed all the same
        assertThat(r.entries()).isEqualTo(2);
        assertThat(r.idsByDn()).containsEntry("uid=ua," + BASE, "a").containsEntry("uid=ub," + BASE, "b");
    }

    @Test
    void shouldRepairExactlyTheChangesNoNotificationToldOfAndNameThem() {
        PublishedState state = published(mapper, person("a", "ua"), person("c", "uc"));
        // Missed: a's mail changed, b appeared, c is gone.
        EntrySnapshot a2 = new EntrySnapshot("a", "uid=ua," + BASE,
                Map.of("uid", List.of("ua"), "mail", List.of("ua.new@example.org")));

        Reconciliation r = Reconciliation.plan(state, mapper, List.of(a2, person("b", "ub")), List.of(), NOW);

        assertThat(r.changes().puts()).containsOnlyKeys(sender("ua.new@example.org"), sender("ub@example.org"),
                new RestrictionKey("ldap", Kind.LOGIN, "ub"));
        assertThat(r.changes().tombstones()).containsExactlyInAnyOrder(sender("ua@example.org"), sender("uc@example.org"),
                new RestrictionKey("ldap", Kind.LOGIN, "uc"));
        assertThat(r.unexplained()).containsOnly(Map.entry("a", "uid=ua," + BASE), Map.entry("b", "uid=ub," + BASE),
                Map.entry("c", "uid=uc," + BASE));
        assertThat(r.commits(false)).isTrue();

        // Once committed, the next reconciliation of the same directory finds nothing: no duplicate events.
        state.apply(r.changes());
        Reconciliation again = Reconciliation.plan(state, mapper, List.of(a2, person("b", "ub")), List.of(), NOW);
        assertThat(again.changes().isEmpty()).isTrue();
        assertThat(again.unexplained()).isEmpty();
    }

    @Test
    void shouldNotCountDifferencesThatANotificationStillQueuedExplains() {
        PublishedState state = published(mapper, person("a", "ua"), person("c", "uc"));
        List<PsearchMessage> inFlight = List.of(
                new PsearchMessage.Changed(Change.ADD, "uid=ub," + BASE, null, "b", true),
                // A delete that carried no id: named by its (normalized) DN.
                new PsearchMessage.Changed(Change.DELETE, "uid=uc," + BASE, null, null, true));

        Reconciliation r = Reconciliation.plan(state, mapper, List.of(person("a", "ua", "mail", "ua2@example.org"),
                person("b", "ub")), inFlight, NOW);

        assertThat(r.changes().size()).isEqualTo(6); // still published now: the notifications re-read later
        assertThat(r.unexplained()).containsOnlyKeys("a");
    }

    @Test
    void shouldMatchNotificationDnsWhateverTheirCase() {
        PublishedState state = published(mapper);
        List<PsearchMessage> inFlight = List.of(new PsearchMessage.Changed(Change.MODDN, "uid=ub," + BASE,
                "uid=old," + BASE, null, true));
        EntrySnapshot b = new EntrySnapshot("b", "UID=ub, OU=People,dc=example,dc=org",
                Map.of("uid", List.of("ub"), "mail", List.of("ub@example.org")));

        assertThat(Reconciliation.plan(state, mapper, List.of(b), inFlight, NOW).unexplained()).isEmpty();
    }

    @Test
    void shouldLiftExpiredRestrictionsWithoutCallingThemMissed() {
        EntryMapper before = new EntryMapper(MAPPING, Clock.fixed(NOW.minusSeconds(7200), ZoneOffset.UTC));
        EntrySnapshot expiring = person("e", "ue", "smtpdSenderRestrictionExpiry", "20250601110000Z");
        PublishedState state = published(before, expiring);
        assertThat(state.published(sender("ue@example.org"))).extracting(Restriction::expiresAt)
                .isEqualTo(Instant.parse("2025-06-01T11:00:00Z"));

        Reconciliation r = Reconciliation.plan(state, mapper, List.of(expiring), List.of(), NOW);

        assertThat(r.changes().tombstones()).contains(sender("ue@example.org"));
        assertThat(r.unexplained()).isEmpty();
    }
}
