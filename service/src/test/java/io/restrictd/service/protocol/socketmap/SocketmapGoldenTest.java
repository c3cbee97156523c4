package io.restrictd.service.protocol.socketmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.restrictd.service.protocol.FakeLookup;
import io.restrictd.service.protocol.Golden;
import io.restrictd.service.protocol.net.ProtocolMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocketmapGoldenTest {
    private static final List<Golden.Case> CASES = Golden.load("/protocol/socketmap/requests.txt");

    @ParameterizedTest(name = "read size {0}")
    @ValueSource(ints = {1, 16, 128, 4096})
    void shouldAnswerEveryGoldenRequestWhateverTheReadSize(int readSize) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Golden.Case c : CASES) {
            stream.writeBytes(NetstringEncoder.encode(c.request()));
        }
        SocketmapSession session = new SocketmapSession(SocketmapLimits.DEFAULT_MAX_REQUEST_BYTES,
                new SocketmapResponder(FakeLookup.standard(), SocketmapResponder.defaultMaps()),
                new ProtocolMetrics(new MetricRegistry(), "socketmap"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : Golden.chunks(stream.toByteArray(), readSize)) {
            assertThat(session.receive(ByteBuffer.wrap(chunk), out)).isTrue();
        }
        assertThat(session.midRequest()).isFalse();

        List<String> replies = decodeAll(out.toByteArray());
        assertThat(replies).hasSize(CASES.size());
        for (int i = 0; i < CASES.size(); i++) {
            assertThat(replies.get(i)).as("line %d", CASES.get(i).line()).isEqualTo(CASES.get(i).replyText());
        }
    }

    private static List<String> decodeAll(byte[] bytes) throws NetstringException {
        NetstringDecoder decoder = new NetstringDecoder(SocketmapLimits.MAX_REPLY_BYTES);
        decoder.feed(bytes, 0, bytes.length);
        List<String> out = new ArrayList<>();
        for (byte[] reply = decoder.next(); reply != null; reply = decoder.next()) {
            out.add(new String(reply, StandardCharsets.UTF_8));
        }
        assertThat(decoder.hasPartial()).isFalse();
        return out;
    }
}
