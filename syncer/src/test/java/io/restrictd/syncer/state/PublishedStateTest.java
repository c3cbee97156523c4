package io.restrictd.syncer.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedStateTest {
    private static final AccessAction REJECT = AccessAction.parse("REJECT no");

    private static RestrictionKey key(String subject) {
        return new RestrictionKey("ldap", Kind.SENDER, subject);
    }

    private static Map<RestrictionKey, Restriction> entry(String uuid, String dn, Instant at, String... subjects) {
        Map<RestrictionKey, Restriction> out = new HashMap<>();
        for (String s : subjects) {
            out.put(key(s), new Restriction(key(s), REJECT, null, Map.of("dn", dn, "entryId", uuid), null, null, at,
                    null));
        }
        return out;
    }

    private static Map<RestrictionKey, Restriction> entry(String uuid, String... subjects) {
        return entry(uuid, "uid=" + uuid, Instant.EPOCH, subjects);
    }

    private static PublishedState committed(Map<String, Map<RestrictionKey, Restriction>> entries) {
        PublishedState s = new PublishedState();
        s.apply(s.plan(entries));
        return s;
    }

    @Test
    void shouldPutEveryKeyOfANewEntry() {
        ChangeSet c = new PublishedState().plan(Map.of("u1", entry("u1", "a@x.org", "b@x.org")));

        assertThat(c.puts()).containsOnlyKeys(key("a@x.org"), key("b@x.org"));
        assertThat(c.tombstones()).isEmpty();
    }

    @Test
    void shouldTombstoneOnlyTheAddressThatWasRemoved() {
        PublishedState s = committed(Map.of("u1", entry("u1", "a@x.org", "b@x.org")));

        ChangeSet c = s.plan(Map.of("u1", entry("u1", "a@x.org")));

        assertThat(c.puts()).isEmpty();
        assertThat(c.tombstones()).containsExactly(key("b@x.org"));
    }

    @Test
    void shouldTombstoneKeysWhenEntryLeavesFilter() {
        PublishedState s = committed(Map.of("u1", entry("u1", "a@x.org", "b@x.org")));

        ChangeSet c = s.plan(Map.of("u1", Map.of()));

        assertThat(c.tombstones()).containsExactlyInAnyOrder(key("a@x.org"), key("b@x.org"));
        s.apply(c);
        assertThat(s.uuids()).isEmpty();
        assertThat(s.publishedCount()).isZero();
    }

    @Test
    void shouldRepublishEveryKeyOnRenameBecauseTheOriginChanged() {
        PublishedState s = committed(Map.of("u1", entry("u1", "uid=old", Instant.EPOCH, "a@x.org")));

        ChangeSet c = s.plan(Map.of("u1", entry("u1", "uid=new", Instant.EPOCH, "a@x.org")));

        assertThat(c.puts()).containsOnlyKeys(key("a@x.org"));
        assertThat(c.tombstones()).isEmpty();
    }

    @Test
    void shouldPublishNothingForAnUnchangedEntrySeenLater() {
        PublishedState s = committed(Map.of("u1", entry("u1", "uid=u1", Instant.EPOCH, "a@x.org")));

        ChangeSet c = s.plan(Map.of("u1", entry("u1", "uid=u1", Instant.parse("2030-01-01T00:00:00Z"), "a@x.org")));

        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void shouldPublishOnlyTheDifferenceOnFullRefresh() {
        PublishedState s = committed(Map.of("u1", entry("u1", "a@x.org"), "u2", entry("u2", "b@x.org"),
                "u3", entry("u3", "c@x.org")));

        ChangeSet c = s.planFull(Map.of("u1", entry("u1", "a@x.org"), "u3", entry("u3", "c@x.org", "d@x.org"),
                "u4", entry("u4", "e@x.org")));

        assertThat(c.puts()).containsOnlyKeys(key("d@x.org"), key("e@x.org"));
        assertThat(c.tombstones()).containsExactly(key("b@x.org"));
    }

    @Test
    void shouldKeepASharedAddressUntilItsLastEntryGoes() {
        PublishedState s = committed(Map.of("u1", entry("u1", "shared@x.org"), "u2", entry("u2", "shared@x.org")));

        ChangeSet first = s.plan(Map.of("u1", Map.of()));
        // u2 still claims it: republished with u2's origin, never lifted
        assertThat(first.tombstones()).isEmpty();
        assertThat(first.puts().get(key("shared@x.org")).origin()).containsEntry("entryId", "u2");
        s.apply(first);

        ChangeSet second = s.plan(Map.of("u2", Map.of()));
        assertThat(second.tombstones()).containsExactly(key("shared@x.org"));
    }

    @Test
    void shouldNotChangeStateWhilePlanning() {
        PublishedState s = committed(Map.of("u1", entry("u1", "a@x.org")));

        s.plan(Map.of("u1", Map.of()));

        assertThat(s.published(key("a@x.org"))).isNotNull();
    }

    @Test
    void shouldRebuildFromPublishedValuesAndLiftOrphansOnFullRefresh() {
        Restriction owned = entry("u1", "a@x.org").get(key("a@x.org"));
        Restriction orphan = new Restriction(key("o@x.org"), REJECT, null, Map.of(), null, null, Instant.EPOCH, null);
        PublishedState s = PublishedState.fromPublished(List.of(owned, orphan));

        ChangeSet c = s.planFull(Map.of("u1", entry("u1", "a@x.org")));

        assertThat(c.puts()).isEmpty();
        assertThat(c.tombstones()).containsExactly(key("o@x.org"));
    }

    @Test
    void shouldTombstoneWhenDeletedEntryIsUnknownOnlyIfPublished() {
        assertThat(new PublishedState().plan(Map.of("ghost", Map.of())).isEmpty()).isTrue();
    }

    /** What a syncer before the rename of origin.entryUUID published for {@code uuid}. */
    private static Restriction oldForm(String uuid, String subject) {
        return new Restriction(key(subject), REJECT, null, Map.of("dn", "uid=" + uuid, "entryUUID", uuid), null, null,
                Instant.EPOCH, null);
    }

    @Test
    void shouldPublishNothingForAnUnchangedEntryWhoseEventsCarryTheDeprecatedEntryUuid() {
        PublishedState s = PublishedState.fromPublished(List.of(oldForm("u1", "a@x.org"), oldForm("u1", "b@x.org")));

        ChangeSet c = s.planFull(Map.of("u1", entry("u1", "uid=u1", Instant.parse("2026-01-01T00:00:00Z"),
                "a@x.org", "b@x.org")));

        assertThat(s.uuids()).containsExactly("u1");
        assertThat(c.puts()).isEmpty();
        assertThat(c.tombstones()).isEmpty();
    }

    @Test
    void shouldLiftAndChangeEntriesKnownOnlyByTheDeprecatedEntryUuid() {
        PublishedState s = PublishedState.fromPublished(List.of(oldForm("u1", "a@x.org"), oldForm("u2", "c@x.org")));

        ChangeSet c = s.planFull(Map.of("u1", entry("u1", "a@x.org", "b@x.org")));

        assertThat(c.tombstones()).containsExactly(key("c@x.org"));
        assertThat(c.puts()).containsOnlyKeys(key("b@x.org"));
        assertThat(c.puts().get(key("b@x.org")).origin()).containsEntry("entryId", "u1").doesNotContainKey("entryUUID");
    }
}
