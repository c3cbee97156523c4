package io.restrictd.service.protocol.socketmap;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.service.core.Lookup;
import io.restrictd.service.protocol.net.MeteredLookup;
import io.restrictd.service.protocol.net.ProtocolMetrics;
import io.restrictd.service.protocol.net.ProtocolServer;
import io.restrictd.service.protocol.net.ServerFactory;
import jakarta.validation.constraints.NotEmpty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code socketmap:} — the Postfix socketmap_table(5) server, for
 * {@code check_sender_access socketmap:inet:127.0.0.1:10041:sender}. Shared settings: {@link ServerFactory}.
 */
public class SocketmapFactory extends ServerFactory {
    /** The name of this protocol's settings and metrics. */
    public static final String NAME = "socketmap";

    /** Map name (the last part of {@code socketmap:...:name}) to the kind it looks up: sender or login. */
    @NotEmpty
    private Map<String, String> maps = new LinkedHashMap<>(Map.of(
            SocketmapLimits.DEFAULT_SENDER_MAP, Kind.SENDER.wireName(),
            SocketmapLimits.DEFAULT_LOGIN_MAP, Kind.LOGIN.wireName()));

    public SocketmapFactory() {
        super("127.0.0.1:10041", SocketmapLimits.DEFAULT_MAX_REQUEST_BYTES);
    }

    @Override
    protected String configKey() {
        return NAME;
    }

    /** Builds the server, not started: register it with the lifecycle, which starts and stops it. */
    public ProtocolServer build(Lookup lookup, MetricRegistry metrics) {
        ProtocolMetrics protocolMetrics = new ProtocolMetrics(metrics, NAME);
        SocketmapResponder responder = new SocketmapResponder(new MeteredLookup(lookup, protocolMetrics), kinds());
        int maxRequestBytes = getMaxRequestBytes();
        return new ProtocolServer(NAME, endpoints(), limits(),
                () -> new SocketmapSession(maxRequestBytes, responder, protocolMetrics), protocolMetrics, getEventLoops());
    }

    /** The maps as kinds. */
    public Map<String, Kind> kinds() {
        Map<String, Kind> out = new LinkedHashMap<>();
        maps.forEach((name, kind) -> out.put(name, Kind.fromWire(kind)));
        return out;
    }

    @JsonIgnore
    @ValidationMethod(message = "maps: every value must be a kind (sender or login) and no name may contain a space")
    public boolean isMapsValid() {
        try {
            kinds();
        } catch (InvalidEventException e) {
            return false;
        }
        return maps.keySet().stream().noneMatch(name -> name.isEmpty() || name.indexOf(' ') >= 0);
    }

    @JsonProperty
    public Map<String, String> getMaps() {
        return maps;
    }

    @JsonProperty
    public void setMaps(Map<String, String> maps) {
        this.maps = maps;
    }
}
