package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteQueueTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldAppendFindCopyAndSkipRelativeToTheFront() {
        ByteQueue queue = new ByteQueue(4);
        queue.append(bytes("hello\nworld"), 0, 11);
        assertThat(queue.indexOf((byte) '\n', 0)).isEqualTo(5);
        assertThat(queue.copy(0, 5)).isEqualTo(bytes("hello"));
        queue.skip(6);
        assertThat(queue.size()).isEqualTo(5);
        assertThat(queue.get(0)).isEqualTo((byte) 'w');
        assertThat(queue.indexOf((byte) '\n', 0)).isEqualTo(-1);
        queue.append(ByteBuffer.wrap(bytes("!\n")));
        assertThat(queue.indexOf((byte) '\n', 3)).isEqualTo(6);
        queue.skip(7);
        assertThat(queue.size()).isZero();
    }

    @Test
    void shouldCompactRatherThanGrowWhenConsumed() {
        ByteQueue queue = new ByteQueue(16);
        for (int i = 0; i < 10_000; i++) {
            queue.append(bytes("0123456789"), 0, 10);
            queue.skip(9);
        }
        assertThat(queue.size()).isEqualTo(10_000);
        assertThat(queue.copy(9_999, 10_000)).isEqualTo(bytes("9"));
    }
}
