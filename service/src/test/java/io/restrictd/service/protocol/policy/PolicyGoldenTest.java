package io.restrictd.service.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.restrictd.service.protocol.FakeLookup;
import io.restrictd.service.protocol.Golden;
import io.restrictd.service.protocol.net.ProtocolMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyGoldenTest {
    private static final List<Golden.Case> CASES = Golden.load("/protocol/policy/requests.txt");

    @ParameterizedTest(name = "read size {0}")
    @ValueSource(ints = {1, 16, 128, 4096})
    void shouldAnswerEveryGoldenRequestWhateverTheReadSize(int readSize) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        CASES.forEach(c -> stream.writeBytes(c.request()));
        PolicySession session = new PolicySession(PolicyLimits.DEFAULTS,
                new PolicyResponder(FakeLookup.standard(), PolicyResponder.DEFAULT_NOT_READY_ACTION),
                new ProtocolMetrics(new MetricRegistry(), "policy"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : Golden.chunks(stream.toByteArray(), readSize)) {
            assertThat(session.receive(ByteBuffer.wrap(chunk), out)).isTrue();
        }
        assertThat(session.midRequest()).isFalse();

        String all = out.toString(StandardCharsets.UTF_8);
        assertThat(all).endsWith("\n\n");
        List<String> replies = Arrays.stream(all.split("\n\n", -1)).map(r -> r + "\n\n").toList();
        replies = replies.subList(0, replies.size() - 1); // after the last "\n\n"
        assertThat(replies).hasSize(CASES.size());
        for (int i = 0; i < CASES.size(); i++) {
            assertThat(replies.get(i)).as("line %d", CASES.get(i).line()).isEqualTo(CASES.get(i).replyText());
        }
    }
}
