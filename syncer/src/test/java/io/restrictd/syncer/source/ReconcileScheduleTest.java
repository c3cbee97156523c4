package io.restrictd.syncer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconcileScheduleTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void shouldFollowUpSoonAfterConnectThenEveryInterval() {
        ReconcileSchedule s = new ReconcileSchedule(Duration.ofHours(1));
        assertThat(s.due(T0)).isFalse(); // nothing before the connect-time reconciliation

        s.connected(T0);
        Instant followUp = T0.plus(ReconcileSchedule.FOLLOW_UP);
        assertThat(s.next()).isEqualTo(followUp);
        assertThat(s.due(followUp.minusMillis(1))).isFalse();
        assertThat(s.due(followUp)).isTrue();

        Instant done = followUp.plusSeconds(2); // the search took two seconds
        s.reconciled(done);
        assertThat(s.due(done.plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(s.due(done.plus(Duration.ofHours(1)))).isTrue();
    }

    @Test
    void shouldUseTheIntervalForTheFollowUpWhenItIsShorter() {
        ReconcileSchedule s = new ReconcileSchedule(Duration.ofSeconds(2));
        s.connected(T0);
        assertThat(s.next()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void shouldNeverBeDueWhenDisabled() {
        ReconcileSchedule s = new ReconcileSchedule(Duration.ZERO);
        assertThat(s.enabled()).isFalse();
        s.connected(T0);
        assertThat(s.due(T0.plus(Duration.ofDays(365)))).isFalse();
        s.reconciled(T0);
        assertThat(s.due(T0.plus(Duration.ofDays(365)))).isFalse();
        assertThat(s.untilDue(T0, Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldWaitNoLongerThanUntilDueNorThanTheCap() {
        ReconcileSchedule s = new ReconcileSchedule(Duration.ofHours(1));
        s.connected(T0);
        Duration cap = Duration.ofMillis(500);
        assertThat(s.untilDue(T0, cap)).isEqualTo(cap);
        Instant nearly = T0.plus(ReconcileSchedule.FOLLOW_UP).minusMillis(120);
        assertThat(s.untilDue(nearly, cap)).isEqualTo(Duration.ofMillis(120));
        assertThat(s.untilDue(T0.plus(Duration.ofMinutes(1)), cap)).isZero(); // overdue: now
    }

    @Test
    void shouldRefuseANegativeInterval() {
        assertThatThrownBy(() -> new ReconcileSchedule(Duration.ofSeconds(-1)))
                .hasMessageContaining("ldap.reconcileInterval");
    }
}
