package io.restrictd.syncer.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.schema.Verb;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryMapperTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final AccessAction TEMPLATE = AccessAction.parse("REJECT This account is not allowed to send emails");
    private static final Mapping MAPPING = new Mapping("ldap", List.of("mail", "mailAlternateAddress"), List.of("uid"),
            TEMPLATE, "smtpdSenderRestrictionMessage", "smtpdSenderRestrictionAction", "smtpdSenderRestrictionExpiry");

    private final EntryMapper mapper = new EntryMapper(MAPPING, Clock.fixed(NOW, ZoneOffset.UTC));

    private static EntrySnapshot entry(Map<String, List<String>> attributes) {
        return new EntrySnapshot("0F7E-AB", "uid=u1,ou=people,dc=example,dc=org", attributes);
    }

    private static RestrictionKey sender(String s) {
        return new RestrictionKey("ldap", Kind.SENDER, s);
    }

    @Test
    void shouldPublishOneRestrictionPerAddressAndLoginWithOrigin() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("MAIL", List.of("User1@Example.ORG"),
                "mailAlternateAddress", List.of("alias@example.org"), "uid", List.of("U1"))));

        assertThat(out).containsOnlyKeys(sender("user1@example.org"), sender("alias@example.org"),
                new RestrictionKey("ldap", Kind.LOGIN, "u1"));
        Restriction r = out.get(sender("user1@example.org"));
        assertThat(r.action()).isEqualTo(TEMPLATE);
        assertThat(r.origin()).containsEntry("dn", "uid=u1,ou=people,dc=example,dc=org")
                .containsEntry("entryId", "0f7e-ab").doesNotContainKey("entryUUID");
        assertThat(r.createdAt()).isEqualTo(NOW);
        assertThat(r.expiresAt()).isNull();
    }

    @Test
    void shouldSkipMalformedAddressAndKeepTheOthers() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("mail", List.of("bad address@x", "ok@example.org"))));

        assertThat(out).containsOnlyKeys(sender("ok@example.org"));
        assertThat(mapper.skipped()).isEqualTo(1);
    }

    @Test
    void shouldUseEntryActionAndMessage() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("mail", List.of("a@example.org"),
                "smtpdSenderRestrictionAction", List.of("450 4.7.1 later"),
                "smtpdSenderRestrictionMessage", List.of("Talk to abuse@example.org"))));

        AccessAction a = out.get(sender("a@example.org")).action();
        assertThat(a.verb()).isEqualTo(Verb.DEFER);
        assertThat(a.smtpCode()).isEqualTo(450);
        assertThat(a.message()).isEqualTo("Talk to abuse@example.org");
    }

    @Test
    void shouldFallBackToTemplateOnUnknownAction() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("mail", List.of("a@example.org"),
                "smtpdSenderRestrictionAction", List.of("OK fine"))));

        assertThat(out.get(sender("a@example.org")).action()).isEqualTo(TEMPLATE);
        assertThat(mapper.skipped()).isEqualTo(1);
    }

    @Test
    void shouldSetExpiryFromGeneralizedTime() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("mail", List.of("a@example.org"),
                "smtpdSenderRestrictionExpiry", List.of("20300101120000Z"))));

        assertThat(out.get(sender("a@example.org")).expiresAt()).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
    }

    @Test
    void shouldPublishNothingForAnExpiredEntry() {
        assertThat(mapper.map(entry(Map.of("mail", List.of("a@example.org"),
                "smtpdSenderRestrictionExpiry", List.of("20200101000000Z"))))).isEmpty();
    }

    @Test
    void shouldIgnoreBadExpiryButKeepTheRestriction() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("mail", List.of("a@example.org"),
                "smtpdSenderRestrictionExpiry", List.of("tomorrow"))));

        assertThat(out.get(sender("a@example.org")).expiresAt()).isNull();
        assertThat(mapper.skipped()).isEqualTo(1);
    }

    @Test
    void shouldSkipMessageWithControlCharacters() {
        Map<RestrictionKey, Restriction> out = mapper.map(entry(Map.of("mail", List.of("a@example.org"),
                "smtpdSenderRestrictionMessage", List.of("bad\u0007bell"))));

        assertThat(out.get(sender("a@example.org")).action()).isEqualTo(TEMPLATE);
        assertThat(mapper.skipped()).isEqualTo(1);
    }

    @Test
    void shouldParseGeneralizedTimeForms() {
        assertThat(GeneralizedTime.parse("202501311200Z")).isEqualTo(Instant.parse("2025-01-31T12:00:00Z"));
        assertThat(GeneralizedTime.parse("20250131120000.5Z")).isEqualTo(Instant.parse("2025-01-31T12:00:00.5Z"));
        assertThat(GeneralizedTime.parse("20250131120000+0200")).isEqualTo(Instant.parse("2025-01-31T10:00:00Z"));
    }

    @Test
    void shouldTakeOnlySmtpProxyAddressesWithoutTheirPrefix() {
        Mapping ad = new Mapping("ldap", List.of("mail", "proxyAddresses"), List.of("sAMAccountName"), TEMPLATE,
                null, null, null);
        EntryMapper adMapper = new EntryMapper(ad, Clock.fixed(NOW, ZoneOffset.UTC));
        Map<RestrictionKey, Restriction> out = adMapper.map(entry(Map.of("mail", List.of("alice@example.org"),
                "proxyAddresses", List.of("SMTP:Alice@Example.org", "smtp:alias@example.org", "X500:/o=Example/cn=a",
                        "SIP:alice@example.org", "smtp:"), "sAMAccountName", List.of("alice"))));

        assertThat(out).containsOnlyKeys(sender("alice@example.org"), sender("alias@example.org"),
                new RestrictionKey("ldap", Kind.LOGIN, "alice"));
        assertThat(adMapper.skipped()).as("the empty smtp: value").isEqualTo(1);
    }

    @Test
    void shouldKeepSmtpPrefixesOfOtherAttributes() {
        assertThat(EntryMapper.senderAddress("mail", "smtp:x@example.org")).isEqualTo("smtp:x@example.org");
        assertThat(EntryMapper.senderAddress("PROXYADDRESSES", "Smtp:x@example.org")).isEqualTo("x@example.org");
        assertThat(EntryMapper.senderAddress("proxyAddresses", "x@example.org")).isNull();
    }
}
