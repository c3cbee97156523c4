package io.restrictd.service.protocol.net;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The settings every lookup protocol server shares: where it listens and the limits that protect
 * it from its clients. Subclasses give the protocol's name and defaults and add its own settings.
 */
public abstract class ServerFactory {
    /** TCP {@code host:port} to listen on ({@code [v6]:port}; port 0 picks a free port); empty for none. */
    private String listen;

    /** Optional unix-domain socket path to listen on as well (e.g. inside Postfix's chroot). */
    private String unixSocket;

    /** Octal permissions of the unix socket file; Postfix's user needs write permission to connect. */
    @NotNull
    @Pattern(regexp = "0?[0-7]{3}", message = "must be an octal mode such as 0660")
    private String unixSocketMode = "0660";

    /**
     * Connections served at once; more are accepted and closed at once (and counted). Each is a file
     * descriptor: keep the sum over the servers below the open-file limit (LimitNOFILE).
     */
    @Min(1)
    @Max(1 << 20)
    private int maxConnections = ServerLimits.DEFAULT_MAX_CONNECTIONS;

    /**
     * Event loops (threads) that serve this server's connections; by default one per CPU. Each
     * serves any number of connections. More only help where other processes keep every CPU busy:
     * the scheduler shares CPU time per thread.
     */
    @Min(1)
    @Max(256)
    private int eventLoops = Runtime.getRuntime().availableProcessors();

    /** A connection with no request in progress for this long is closed (Postfix closes after 10 s). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration idleTimeout = Duration.seconds(ServerLimits.DEFAULT_IDLE_TIMEOUT.toSeconds());

    /** A request must be complete and answered this long after its first byte, or the connection is closed. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration requestTimeout = Duration.seconds(ServerLimits.DEFAULT_REQUEST_TIMEOUT.toSeconds());

    /** The largest request accepted, in bytes; a larger one is refused and the connection closed. */
    @Min(64)
    @Max(1 << 20)
    private int maxRequestBytes;

    protected ServerFactory(String defaultListen, int defaultMaxRequestBytes) {
        this.listen = defaultListen;
        this.maxRequestBytes = defaultMaxRequestBytes;
    }

    /** The protocol's configuration key, e.g. {@code socketmap}; settings are named {@code <key>.listen}... */
    protected abstract String configKey();

    /** The endpoints to listen on. */
    public List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>(2);
        if (listen != null && !listen.isBlank()) {
            out.add(Endpoint.Tcp.parse(configKey() + ".listen", listen));
        }
        if (unixSocket != null && !unixSocket.isBlank()) {
            out.add(new Endpoint.Unix(configKey() + ".unixSocket", Path.of(unixSocket), permissions(unixSocketMode)));
        }
        return out;
    }

    /** The connection limits. */
    public ServerLimits limits() {
        return new ServerLimits(maxConnections, idleTimeout.toJavaDuration(), requestTimeout.toJavaDuration());
    }

    @JsonIgnore
    @ValidationMethod(message = "needs listen (host:port) or unixSocket, or both")
    public boolean isListeningSomewhere() {
        return (listen != null && !listen.isBlank()) || (unixSocket != null && !unixSocket.isBlank());
    }

    @JsonIgnore
    @ValidationMethod(message = "listen must be host:port with a port from 0 to 65535 (IPv6 as [addr]:port)")
    public boolean isListenValid() {
        try {
            endpoints();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses an octal mode such as {@code 0660}; only the permission bits count. */
    static Set<PosixFilePermission> permissions(String octal) {
        int mode = Integer.parseInt(octal, 8);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }

    @JsonProperty
    public String getListen() {
        return listen;
    }

    @JsonProperty
    public void setListen(String listen) {
        this.listen = listen;
    }

    @JsonProperty
    public String getUnixSocket() {
        return unixSocket;
    }

    @JsonProperty
    public void setUnixSocket(String unixSocket) {
        this.unixSocket = unixSocket;
    }

    @JsonProperty
    public String getUnixSocketMode() {
        return unixSocketMode;
    }

    @JsonProperty
    public void setUnixSocketMode(String unixSocketMode) {
        this.unixSocketMode = unixSocketMode;
    }

    @JsonProperty
    public int getMaxConnections() {
        return maxConnections;
    }

    @JsonProperty
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @JsonProperty
    public int getEventLoops() {
        return eventLoops;
    }

    @JsonProperty
    public void setEventLoops(int eventLoops) {
        this.eventLoops = eventLoops;
    }

    @JsonProperty
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    @JsonProperty
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    @JsonProperty
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    @JsonProperty
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    @JsonProperty
    public int getMaxRequestBytes() {
        return maxRequestBytes;
    }

    @JsonProperty
    public void setMaxRequestBytes(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }
}
