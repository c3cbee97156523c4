package io.restrictd.service.protocol.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Where a server listens, with the configuration key that said so (for error messages). */
public sealed interface Endpoint {
    /** The configuration key that set this endpoint, e.g. {@code policy.listen}. */
    String configKey();

    /**
     * A TCP address. Port 0 asks for an ephemeral port; {@link ProtocolServer#port()} tells which.
     */
    record Tcp(String configKey, String host, int port) implements Endpoint {
        public Tcp {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(configKey + ": port out of range: " + port);
            }
        }

        /**
         * Parses {@code host:port}, {@code [v6-address]:port}; an empty host or {@code *} means every
         * address.
         *
         * @throws IllegalArgumentException naming the key and what is wrong
         */
        public static Tcp parse(String configKey, String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(configKey + ": empty address (expected host:port)");
            }
            String s = text.strip();
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(configKey + ": '" + s + "' is not host:port");
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException(configKey + ": '" + s + "': write IPv6 addresses as [addr]:port");
            }
            if (host.equals("*")) {
                host = "";
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(configKey + ": '" + s + "': port is not a number");
            }
            return new Tcp(configKey, host, port);
        }

        /** The socket address to bind; resolves the host name. */
        public InetSocketAddress socketAddress() {
            return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A unix-domain socket. A stale socket file left by a dead process is removed at start; a live
     * one (something answers on it) or a file that is not a socket is an error.
     *
     * @param permissions set on the socket file once bound (Postfix must be able to connect)
     */
    record Unix(String configKey, Path path, Set<PosixFilePermission> permissions) implements Endpoint {
        public Unix {
            if (path == null) {
                throw new IllegalArgumentException(configKey + ": missing path");
            }
            permissions = Set.copyOf(permissions);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }
}
