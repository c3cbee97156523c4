package io.restrictd.service.protocol.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * One connection's protocol state: a sans-IO codec plus a responder. The network layer feeds it the
 * bytes it reads and writes back whatever it produces; the session never touches the socket.
 *
 * <p>Called only by the event loop that serves the connection; need not be thread-safe. It runs on
 * that loop's thread, shared with many other connections: it must not block.
 */
public interface Session {
    /**
     * Consumes every byte of {@code input} and appends the replies to any requests it completes to
     * {@code out}, in order. Must not throw for any input.
     *
     * @return false if the connection must be closed once {@code out} has been written (framing lost)
     */
    boolean receive(ByteBuffer input, ByteArrayOutputStream out);

    /** True while part of a request is buffered: the request deadline is running. */
    boolean midRequest();
}
