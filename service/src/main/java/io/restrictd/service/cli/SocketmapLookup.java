package io.restrictd.service.cli;

import io.restrictd.service.protocol.socketmap.NetstringDecoder;
import io.restrictd.service.protocol.socketmap.NetstringEncoder;
import io.restrictd.service.protocol.socketmap.NetstringException;
import io.restrictd.service.protocol.socketmap.SocketmapLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks a lookup node over socketmap exactly as Postfix's socketmap client does: one connection, the request
 * {@code <map> <key>} as a netstring, the reply ({@code OK <action>}, {@code NOTFOUND }, {@code TEMP ...},
 * {@code PERM ...}) as a netstring.
 */
public final class SocketmapLookup {
    private SocketmapLookup() {
    }

    /**
     * The reply payload.
     *
     * @throws IOException if the node cannot be reached, closes the connection, or answers something that is
     *                     not a netstring, within {@code timeout}
     */
    public static String ask(String host, int port, String map, String key, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(NetstringEncoder.encode(map + " " + key));
            s.getOutputStream().flush();
            NetstringDecoder decoder = new NetstringDecoder(SocketmapLimits.MAX_REPLY_BYTES);
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[1024];
            for (byte[] reply = decoder.next(); ; reply = decoder.next()) {
                if (reply != null) {
                    return new String(reply, StandardCharsets.UTF_8);
                }
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the node closed the connection without a reply");
                }
                decoder.feed(buffer, 0, n);
            }
        } catch (NetstringException e) {
            throw new IOException("not a socketmap reply: " + e.getMessage(), e);
        }
    }
}
