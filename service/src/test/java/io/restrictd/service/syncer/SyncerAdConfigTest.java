package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.syncer.SyncerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped ops/config/syncer-ad.yml is valid and says what docs/active-directory.md promises. */
class SyncerAdConfigTest {
    @TempDir
    Path tmp;

    private SyncerConfiguration shipped() throws Exception {
        return AdConfig.shipped(Files.writeString(tmp.resolve("pw"), "s3cret\n"));
    }

    @Test
    void shouldFollowAdWithDirsyncOverTlsByDefault() throws Exception {
        SyncerSettings s = shipped().toSettings(Map.of());

        assertThat(s.mode()).isEqualTo(SyncerSettings.Mode.DIRSYNC);
        assertThat(s.ldap().usesTls()).isTrue();
        assertThat(s.ldap().urls()).allMatch(u -> u.startsWith("ldaps://"));
        assertThat(s.ldap().idAttribute()).isEqualTo("auto");
        assertThat(s.ldap().filter()).contains("userAccountControl:1.2.840.113556.1.4.803:=2")
                .contains("(!(isCriticalSystemObject=TRUE))");
        assertThat(s.mapping().senderAttributes()).containsExactly("mail", "proxyAddresses");
        assertThat(s.mapping().loginAttributes()).containsExactly("sAMAccountName", "userPrincipalName");
    }

    @Test
    void shouldParseEveryModeAndNameTheSettingOtherwise() {
        LdapFactory f = new LdapFactory();
        f.mode = "DirSync";
        assertThat(f.mode()).isEqualTo(SyncerSettings.Mode.DIRSYNC);
        f.mode = "poll";
        assertThat(f.mode()).isEqualTo(SyncerSettings.Mode.POLL);
        f.mode = "usn";
        assertThatThrownBy(f::mode).hasMessage("ldap.mode: 'usn' is not syncrepl, psearch, dirsync or poll");
    }

    @Test
    void shouldNameIdAttributeWhenItIsUnknown() throws Exception {
        SyncerConfiguration c = shipped();
        c.ldap.idAttribute = "guid";
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageStartingWith("ldap.idAttribute: 'guid'");
    }
}
