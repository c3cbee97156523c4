package io.restrictd.syncer.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LdapSettingsTest {
    private static LdapSettings withInterval(Duration reconcileInterval) {
        return new LdapSettings(List.of("ldap://127.0.0.1:389"), null, null, "dc=x", "sub", "(a=b)", List.of("mail"),
                false, null, null, Duration.ofSeconds(5), reconcileInterval);
    }

    @Test
    void shouldReconcileHourlyByDefault() {
        LdapSettings s = new LdapSettings(List.of("ldap://127.0.0.1:389"), null, null, "dc=x", "sub", "(a=b)",
                List.of("mail"), false, null, null, Duration.ofSeconds(5));
        assertThat(s.reconcileInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldAcceptZeroAsOffAndOneSecondOrMore() {
        assertThat(withInterval(Duration.ZERO).reconcileInterval()).isZero();
        assertThat(withInterval(Duration.ofSeconds(1)).reconcileInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldRefuseNegativeSubSecondOrMissingIntervalsNamingTheSetting() {
        for (Duration bad : new Duration[] {Duration.ofSeconds(-1), Duration.ofMillis(999), null}) {
            assertThatThrownBy(() -> withInterval(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ldap.reconcileInterval:");
        }
    }
}
