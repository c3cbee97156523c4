package io.restrictd.service.protocol.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Where a {@link Session} writes its replies: one per event loop, reused for every read, so a
 * reply that the kernel takes at once is never copied or kept per connection.
 */
final class ReplyBuffer extends ByteArrayOutputStream {
    ReplyBuffer(int initialSize) {
        super(initialSize);
    }

    /** The bytes written since the last {@link #reset()}, without a copy; valid until the next write or reset. */
    ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, 0, count);
    }
}
