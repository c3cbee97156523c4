package io.restrictd.service.protocol.socketmap;

import io.restrictd.service.protocol.net.ProtocolMetrics;
import io.restrictd.service.protocol.net.Session;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * One socketmap connection: the netstring decoder and the responder. A framing error is answered
 * {@code PERM <why>} and ends the connection, since the stream cannot be resynchronised; a request
 * that is well framed but wrong gets {@code PERM} and the connection stays usable.
 */
final class SocketmapSession implements Session {
    private final NetstringDecoder decoder;
    private final SocketmapResponder responder;
    private final ProtocolMetrics metrics;

    SocketmapSession(int maxRequestBytes, SocketmapResponder responder, ProtocolMetrics metrics) {
        this.decoder = new NetstringDecoder(maxRequestBytes);
        this.responder = responder;
        this.metrics = metrics;
    }

    @Override
    public boolean receive(ByteBuffer input, ByteArrayOutputStream out) {
        decoder.feed(input);
        while (true) {
            byte[] request;
            try {
                request = decoder.next();
            } catch (NetstringException e) {
                metrics.badRequest();
                out.writeBytes(SocketmapReply.perm(e.getMessage()).encode());
                return false;
            }
            if (request == null) {
                return true;
            }
            SocketmapReply reply = responder.respond(request);
            if (reply.status() == SocketmapReply.Status.PERM) {
                metrics.badRequest();
            }
            out.writeBytes(reply.encode());
        }
    }

    @Override
    public boolean midRequest() {
        return decoder.hasPartial();
    }
}
