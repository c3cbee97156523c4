package io.restrictd.syncer.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.Control;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EntryIdsTest {
    /** objectGUID bytes as AD stores them, and their text form (as Python's uuid.UUID(bytes_le=...) writes it). */
    private static final byte[] GUID = HexFormat.of().parseHex("988321d80532ba4d8df2497ee3deae78");
    private static final String GUID_TEXT = "d8218398-3205-4dba-8df2-497ee3deae78";

    private static SearchResultEntry entry(Attribute... attributes) {
        return new SearchResultEntry("CN=a,OU=people,DC=example,DC=org", attributes, new Control[0]);
    }

    @Test
    void shouldWriteObjectGuidInItsCanonicalTextForm() {
        assertThat(EntryIds.guidText(GUID)).isEqualTo(GUID_TEXT);
        assertThat(EntryIds.guidBytes(GUID_TEXT)).isEqualTo(GUID);
        assertThat(EntryIds.guidBytes(GUID_TEXT.toUpperCase())).isEqualTo(GUID);
    }

    @Test
    void shouldPickTheFirstIdTheEntryCarriesInAutoMode() {
        EntryIds auto = new EntryIds("auto");
        assertThat(auto.id(entry(new Attribute("objectGUID", GUID)))).isEqualTo(GUID_TEXT);
        assertThat(auto.id(entry(new Attribute("nsUniqueId", "AB-CD")))).isEqualTo("ab-cd");
        assertThat(auto.id(entry(new Attribute("entryUUID", "0F7E-AB"), new Attribute("nsUniqueId", "x"))))
                .isEqualTo("0f7e-ab");
        assertThat(auto.attributes()).containsExactly("entryUUID", "nsUniqueId", "objectGUID");
    }

    @Test
    void shouldUseOnlyTheNamedAttributeWhenSet() {
        EntryIds guid = new EntryIds("OBJECTGUID");
        assertThat(guid.attributes()).containsExactly("objectGUID");
        assertThat(guid.id(entry(new Attribute("entryUUID", "u"), new Attribute("objectGUID", GUID))))
                .isEqualTo(GUID_TEXT);
        assertThat(guid.id(entry(new Attribute("entryUUID", "u")))).isNull();
    }

    @Test
    void shouldSkipAndCountAnEntryWithoutAUsableId() {
        EntryIds ids = new EntryIds("auto");
        assertThat(ids.snapshot(entry(new Attribute("mail", "a@example.org")))).isEmpty();
        assertThat(ids.snapshot(entry(new Attribute("objectGUID", new byte[] {1, 2, 3})))).isEmpty();
        assertThat(ids.skipped()).isEqualTo(2);
        EntrySnapshot s = ids.snapshot(entry(new Attribute("objectGUID", GUID), new Attribute("mail", "a@x.org")))
                .orElseThrow();
        assertThat(s.uuid()).isEqualTo(GUID_TEXT);
        assertThat(s.attributes()).containsOnlyKeys("mail");
    }

    @Test
    void shouldRejectAnUnknownSettingNamingIt() {
        assertThatThrownBy(() -> new EntryIds("guid")).hasMessage(
                "ldap.idAttribute: 'guid' is not auto, entryUUID, nsUniqueId or objectGUID");
    }

    @Test
    void shouldParseTheScopeInOnePlace() {
        assertThat(Directory.scope("ONE")).isEqualTo(com.unboundid.ldap.sdk.SearchScope.ONE);
        assertThat(Directory.scope("subtree")).isEqualTo(com.unboundid.ldap.sdk.SearchScope.SUB);
        assertThatThrownBy(() -> Directory.scope("children")).hasMessage(
                "ldap.scope: 'children' is not base, one or sub");
    }
}
