package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restrictd.jar syncer --check CONFIG} (the packaged jar; no server needed): 0 and a summary for the
 * shipped syncer.yml, 2 and the setting at fault for a broken one, without connecting anywhere.
 */
class SyncerCheckIT {
    @TempDir
    Path tmp;

    private Map<String, String> env() throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw"), "secret\n");
        return Map.of("RESTRICTD_LDAP_PASSWORD_FILE", pw.toString(), "RESTRICTD_KAFKA", "127.0.0.1:1");
    }

    @Test
    void shouldAcceptTheShippedConfigWithoutConnecting() throws Exception {
        SyncerProcess.Check c = SyncerProcess.check(SyncerProcess.config(), env());
        assertThat(c.exit()).as(c.output()).isZero();
        assertThat(c.output()).contains("configuration OK", "mode syncrepl", "admin 127.0.0.1:10044");
    }

    @Test
    void shouldNameTheSettingAtFault() throws Exception {
        String shipped = Files.readString(SyncerProcess.config());
        Path badMode = Files.writeString(tmp.resolve("mode.yml"), shipped.replace("mode: syncrepl", "mode: magic"));
        SyncerProcess.Check c = SyncerProcess.check(badMode, env());
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.output()).contains("ldap.mode");

        Path badAdmin = Files.writeString(tmp.resolve("admin.yml"),
                shipped.replace("${RESTRICTD_SYNCER_ADMIN:-127.0.0.1:10044}", "nowhere"));
        c = SyncerProcess.check(badAdmin, env());
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.output()).contains("syncer.adminListen");

        Path badPassword = Files.writeString(tmp.resolve("pw.yml"), shipped);
        c = SyncerProcess.check(badPassword, Map.of("RESTRICTD_LDAP_PASSWORD_FILE", tmp.resolve("missing").toString()));
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.output()).contains("ldap.bindPasswordFile");
    }
}
