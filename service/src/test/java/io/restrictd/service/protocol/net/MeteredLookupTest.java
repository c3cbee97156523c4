package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.restrictd.schema.Kind;
import io.restrictd.service.core.Answer;
import io.restrictd.service.protocol.FakeLookup;
import org.junit.jupiter.api.Test;

class MeteredLookupTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final ProtocolMetrics metrics = new ProtocolMetrics(registry, "socketmap");

    @Test
    void shouldTimeEveryLookupAndCountAnswers() {
        MeteredLookup lookup = new MeteredLookup(FakeLookup.standard(), metrics);
        assertThat(lookup.find(Kind.SENDER, "testuser2@example.org")).isInstanceOf(Answer.Restricted.class);
        assertThat(lookup.find(Kind.SENDER, "nobody@example.org")).isEqualTo(Answer.NOT_RESTRICTED);
        assertThat(lookup.find(Kind.LOGIN, "late")).isInstanceOf(Answer.Unavailable.class);
        assertThat(registry.timer("restrictd.socketmap.lookup").getCount()).isEqualTo(3);
        assertThat(registry.meter("restrictd.socketmap.restricted").getCount()).isEqualTo(1);
        assertThat(registry.meter("restrictd.socketmap.not-restricted").getCount()).isEqualTo(1);
        assertThat(registry.meter("restrictd.socketmap.unavailable").getCount()).isEqualTo(1);
    }

    @Test
    void shouldTurnABrokenLookupIntoUnavailable() {
        MeteredLookup throwing = new MeteredLookup((kind, key) -> {
            throw new IllegalStateException("store closed");
        }, metrics);
        MeteredLookup returningNull = new MeteredLookup((kind, key) -> null, metrics);
        assertThat(throwing.find(Kind.SENDER, "a@b")).isEqualTo(new Answer.Unavailable("lookup failed"));
        assertThat(returningNull.find(Kind.SENDER, "a@b")).isEqualTo(new Answer.Unavailable("lookup failed"));
        assertThat(registry.meter("restrictd.socketmap.unavailable").getCount()).isEqualTo(2);
    }
}
