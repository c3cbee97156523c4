package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.service.RestrictdApplication;
import io.restrictd.service.RestrictdConfiguration;
import io.restrictd.syncer.SyncerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped ops/config/syncer.yml is valid, and broken configs fail naming the setting. */
class SyncerConfigurationTest {
    private final Bootstrap<RestrictdConfiguration> bootstrap = bootstrap();
    private final ConfigurationFactory<SyncerConfiguration> factory = new YamlConfigurationFactory<>(
            SyncerConfiguration.class, bootstrap.getValidatorFactory().getValidator(), bootstrap.getObjectMapper(),
            "dw");

    @TempDir
    Path tmp;

    private static Bootstrap<RestrictdConfiguration> bootstrap() {
        RestrictdApplication app = new RestrictdApplication();
        Bootstrap<RestrictdConfiguration> b = new Bootstrap<>(app);
        app.initialize(b);
        return b;
    }

    private static Path repository() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("ops/config"))) {
            p = p.getParent();
        }
        return p;
    }

    private SyncerConfiguration load(Path file) throws Exception {
        return factory.build(bootstrap.getConfigurationSourceProvider(), file.toString());
    }

    private SyncerConfiguration shipped() throws Exception {
        SyncerConfiguration c = load(repository().resolve("ops/config/syncer.yml"));
        Path password = Files.writeString(tmp.resolve("pw"), "s3cret\n");
        c.ldap.bindPasswordFile = password.toString();
        return c;
    }

    @Test
    void shouldLoadTheShippedSyncerConfig() throws Exception {
        SyncerSettings s = shipped().toSettings(Map.of());

        assertThat(s.mode()).isEqualTo(SyncerSettings.Mode.SYNCREPL);
        assertThat(s.ldap().bindPassword()).isEqualTo("s3cret");
        assertThat(s.ldap().toString()).doesNotContain("s3cret");
        assertThat(s.ldap().filter()).isEqualTo("(smtpdSenderRestrictions=TRUE)");
        assertThat(s.mapping().loginAttributes()).containsExactly("uid");
        assertThat(s.kafka().stateTopic()).isEqualTo("restrictd.syncer-state");
        assertThat(s.kafka().client().common("x")).containsKey("bootstrap.servers");
    }

    @Test
    void shouldNameTheModeWhenItIsUnknown() throws Exception {
        SyncerConfiguration c = shipped();
        c.ldap.mode = "magic";
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("ldap.mode");
    }

    @Test
    void shouldNameTheActionWhenItIsNotRestrictive() throws Exception {
        SyncerConfiguration c = shipped();
        c.mapping.action = "OK";
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("mapping.action");
    }

    @Test
    void shouldRequireAPasswordForABindDn() throws Exception {
        SyncerConfiguration c = shipped();
        c.ldap.bindPasswordFile = null;
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("ldap.bindPassword");
        assertThat(c.toSettings(Map.of(SyncerConfiguration.PASSWORD_ENV, "x")).ldap().bindPassword()).isEqualTo("x");
    }

    @Test
    void shouldNameAMissingPasswordFile() throws Exception {
        SyncerConfiguration c = shipped();
        c.ldap.bindPasswordFile = tmp.resolve("missing").toString();
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("ldap.bindPasswordFile");
    }

    @Test
    void shouldRejectAnEmptyUrlList() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yml"), "ldap:\n  urls: []\n  baseDn: dc=x\n");
        assertThatThrownBy(() -> load(bad)).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("ldap.urls");
    }

    @Test
    void shouldRejectUnknownSenderAttributeListsThatAreBothEmpty() throws Exception {
        SyncerConfiguration c = shipped();
        c.mapping.senderAttributes = List.of();
        c.mapping.loginAttributes = List.of();
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("senderAttributes");
    }

    @Test
    void shouldElectThroughTheShippedLeaderTopicWithASixSecondFailover() throws Exception {
        SyncerConfiguration c = shipped();
        SyncerSettings s = c.toSettings(Map.of());
        assertThat(s.kafka().leaderTopic()).isEqualTo("restrictd.syncer-leader");
        assertThat(s.failover()).isEqualTo(java.time.Duration.ofSeconds(6));
        assertThat(c.adminAddress().getPort()).isEqualTo(10044);
    }

    @Test
    void shouldNameTheAdminListenSettingWhenItIsNotHostAndPort() throws Exception {
        SyncerConfiguration c = shipped();
        c.syncer.adminListen = "localhost";
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("syncer.adminListen");
        c.syncer.adminListen = "";
        assertThat(c.adminAddress()).isNull();
    }

    @Test
    void shouldNameTheFailoverSettingWhenItIsTooShort() throws Exception {
        SyncerConfiguration c = shipped();
        c.syncer.failover = io.dropwizard.util.Duration.milliseconds(10);
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("syncer.failover");
    }

    @Test
    void shouldReadTheReconcileIntervalAsADurationOrOff() throws Exception {
        SyncerConfiguration c = shipped();
        assertThat(c.toSettings(Map.of()).ldap().reconcileInterval()).isEqualTo(java.time.Duration.ofHours(1));
        c.ldap.reconcileInterval = "90s";
        assertThat(c.toSettings(Map.of()).ldap().reconcileInterval()).isEqualTo(java.time.Duration.ofSeconds(90));
        c.ldap.reconcileInterval = "off";
        assertThat(c.toSettings(Map.of()).ldap().reconcileInterval()).isZero();
        c.ldap.reconcileInterval = "0";
        assertThat(c.toSettings(Map.of()).ldap().reconcileInterval()).isZero();
    }

    @Test
    void shouldNameTheReconcileIntervalWhenItIsNotADurationOrTooShort() throws Exception {
        SyncerConfiguration c = shipped();
        c.ldap.reconcileInterval = "hourly";
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("ldap.reconcileInterval")
                .hasMessageContaining("hourly");
        c.ldap.reconcileInterval = "100ms";
        assertThatThrownBy(() -> c.toSettings(Map.of())).hasMessageContaining("ldap.reconcileInterval")
                .hasMessageContaining("at least 1s");
    }
}
