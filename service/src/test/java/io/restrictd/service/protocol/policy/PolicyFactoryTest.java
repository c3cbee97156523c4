package io.restrictd.service.protocol.policy;

import static io.restrictd.service.protocol.ConfigSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.restrictd.service.core.Answer;
import io.restrictd.service.protocol.net.Endpoint;
import io.restrictd.service.protocol.net.ProtocolServer;
import io.restrictd.service.protocol.net.ServerLimits;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PolicyFactoryTest {
    @Test
    void shouldDefaultToLoopbackPort10040AndStandardLimits() throws Exception {
        PolicyFactory factory = parse(PolicyFactory.class, "policy", "{}");
        assertThat(factory.endpoints()).containsExactly(new Endpoint.Tcp("policy.listen", "127.0.0.1", 10040));
        assertThat(factory.limits()).isEqualTo(ServerLimits.DEFAULTS);
        assertThat(factory.policyLimits()).isEqualTo(PolicyLimits.DEFAULTS);
        assertThat(factory.getNotReadyAction()).isEqualTo("DEFER_IF_PERMIT Service temporarily unavailable");
    }

    @Test
    void shouldReadEverySetting() throws Exception {
        PolicyFactory factory = parse(PolicyFactory.class, "policy", """
                listen: "0.0.0.0:0"
                maxRequestBytes: 8192
                maxLineBytes: 1000
                maxAttributes: 50
                notReadyAction: 451 4.3.0 restrictd is starting
                """);
        assertThat(factory.policyLimits()).isEqualTo(new PolicyLimits(8192, 1000, 50));
        assertThat(factory.getNotReadyAction()).isEqualTo("451 4.3.0 restrictd is starting");
    }

    @Test
    void shouldRefuseNotReadyActionThatIsNotAnAccessAction() {
        assertThatThrownBy(() -> parse(PolicyFactory.class, "policy", "notReadyAction: DUNNO"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("notReadyAction must be an access(5) action");
        assertThatThrownBy(() -> parse(PolicyFactory.class, "policy", "maxRequestBytes: 1000\nmaxLineBytes: 2000"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("maxLineBytes must not exceed maxRequestBytes");
    }

    @Test
    @Timeout(30)
    void shouldBuildAServerThatUsesTheNotReadyAction() throws Exception {
        PolicyFactory factory = parse(PolicyFactory.class, "policy", """
                listen: "127.0.0.1:0"
                notReadyAction: 451 4.3.0 restrictd is starting
                """);
        ProtocolServer server = factory.build((kind, key) -> new Answer.Unavailable("starting"), new MetricRegistry());
        server.start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("request=smtpd_access_policy\nsender=a@b\n\n".getBytes(StandardCharsets.UTF_8));
            byte[] expected = "action=451 4.3.0 restrictd is starting\n\n".getBytes(StandardCharsets.UTF_8);
            assertThat(socket.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
        } finally {
            server.stop();
        }
    }
}
