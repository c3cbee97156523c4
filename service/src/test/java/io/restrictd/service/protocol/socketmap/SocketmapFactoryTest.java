package io.restrictd.service.protocol.socketmap;

import static io.restrictd.service.protocol.ConfigSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.restrictd.schema.Kind;
import io.restrictd.service.protocol.net.Endpoint;
import io.restrictd.service.protocol.net.ServerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketmapFactoryTest {
    @Test
    void shouldDefaultToLoopbackPort10041AndStandardLimits() throws Exception {
        SocketmapFactory factory = parse(SocketmapFactory.class, "socketmap", "{}");
        assertThat(factory.endpoints()).containsExactly(new Endpoint.Tcp("socketmap.listen", "127.0.0.1", 10041));
        assertThat(factory.limits()).isEqualTo(ServerLimits.DEFAULTS);
        assertThat(factory.getMaxRequestBytes()).isEqualTo(4096);
        assertThat(factory.kinds()).isEqualTo(Map.of("sender", Kind.SENDER, "login", Kind.LOGIN));
    }

    @Test
    void shouldReadEverySetting() throws Exception {
        SocketmapFactory factory = parse(SocketmapFactory.class, "socketmap", """
                listen: "[::1]:0"
                unixSocket: /var/spool/postfix/private/restrictd
                unixSocketMode: "0666"
                maxConnections: 10
                idleTimeout: 15s
                requestTimeout: 500ms
                maxRequestBytes: 1024
                maps:
                  from: sender
                  sasl: LOGIN
                """);
        assertThat(factory.endpoints()).hasSize(2);
        assertThat(factory.endpoints().get(0)).isEqualTo(new Endpoint.Tcp("socketmap.listen", "::1", 0));
        Endpoint.Unix unix = (Endpoint.Unix) factory.endpoints().get(1);
        assertThat(unix.configKey()).isEqualTo("socketmap.unixSocket");
        assertThat(unix.path()).isEqualTo(Path.of("/var/spool/postfix/private/restrictd"));
        assertThat(unix.permissions()).hasSize(6);
        assertThat(factory.limits())
                .isEqualTo(new ServerLimits(10, Duration.ofSeconds(15), Duration.ofMillis(500)));
        assertThat(factory.getMaxRequestBytes()).isEqualTo(1024);
        assertThat(factory.kinds()).isEqualTo(Map.of("from", Kind.SENDER, "sasl", Kind.LOGIN));
    }

    @Test
    void shouldAllowUnixSocketOnly() throws Exception {
        SocketmapFactory factory = parse(SocketmapFactory.class, "socketmap", """
                listen: ""
                unixSocket: /run/restrictd/socketmap.sock
                """);
        assertThat(factory.endpoints()).singleElement().isInstanceOf(Endpoint.Unix.class);
    }

    @Test
    void shouldNameEachInvalidSetting() {
        assertThatThrownBy(() -> parse(SocketmapFactory.class, "socketmap", """
                listen: "localhost"
                maxConnections: 0
                eventLoops: 0
                idleTimeout: 0s
                maxRequestBytes: 10
                unixSocketMode: "rw-rw----"
                maps:
                  sender: recipient
                """))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("listen must be host:port")
                .hasMessageContaining("maxConnections")
                .hasMessageContaining("eventLoops")
                .hasMessageContaining("idleTimeout")
                .hasMessageContaining("maxRequestBytes")
                .hasMessageContaining("unixSocketMode must be an octal mode")
                .hasMessageContaining("maps: every value must be a kind");
        assertThatThrownBy(() -> parse(SocketmapFactory.class, "socketmap", "listen: \"\""))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("needs listen (host:port) or unixSocket");
    }
}
