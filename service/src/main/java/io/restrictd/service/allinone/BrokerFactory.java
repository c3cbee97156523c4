package io.restrictd.service.allinone;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code broker:} — all-in-one's embedded single-node Kafka broker. */
public class BrokerFactory {
    /** The broker's directory: its log (data/) and the lock that keeps a second all-in-one off it. */
    @NotEmpty
    @JsonProperty
    public String dataDir = "/var/lib/restrictd/kafka";

    /** host:port of the broker's client listener; a loopback address (nothing outside this host talks to it). */
    @NotEmpty
    @JsonProperty
    public String listen = "127.0.0.1:9092";

    /** host:port of the KRaft controller listener; loopback. */
    @NotEmpty
    @JsonProperty
    public String controllerListen = "127.0.0.1:9093";

    /** Extra broker settings (server.properties keys), applied last; e.g. log.segment.bytes. */
    @NotNull
    @JsonProperty
    public Map<String, String> properties = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException naming the setting at fault
     */
    public EmbeddedBroker build() {
        String[] client = loopback("broker.listen", listen);
        String[] controller = loopback("broker.controllerListen", controllerListen);
        int port = Integer.parseInt(client[1]);
        int controllerPort = Integer.parseInt(controller[1]);
        if (port == controllerPort) {
            throw new IllegalArgumentException("broker.listen and broker.controllerListen: need two different ports");
        }
        return new EmbeddedBroker(Path.of(dataDir).toAbsolutePath(), client[0], port, controllerPort, properties);
    }

    /** {host, port} of a loopback host:port with a fixed port. */
    static String[] loopback(String setting, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "";
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(setting + ": '" + hostPort + "' is not host:port (e.g. 127.0.0.1:9092)");
        }
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(setting + ": " + host + " is not a loopback address: the embedded"
                        + " broker has no authentication and must not be reachable from other hosts");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(setting + ": unknown host " + host);
        }
        return new String[] {host, String.valueOf(port)};
    }
}
