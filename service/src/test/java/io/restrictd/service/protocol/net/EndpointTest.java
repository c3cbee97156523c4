package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:10041 | 127.0.0.1 | 10041 | 127.0.0.1:10041",
        "localhost:0     | localhost | 0     | localhost:0",
        "[::1]:10040     | ::1       | 10040 | [::1]:10040",
        "*:25            | ''        | 25    | :25",
        ":25             | ''        | 25    | :25",
    })
    void shouldParseHostAndPort(String text, String host, int port, String shown) {
        Endpoint.Tcp tcp = Endpoint.Tcp.parse("socketmap.listen", text);
        assertThat(tcp.host()).isEqualTo(host);
        assertThat(tcp.port()).isEqualTo(port);
        assertThat(tcp.toString()).isEqualTo(shown);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "10041", "host:", "host:port", "host:70000", "host:-1", "::1:10041"})
    void shouldRefuseBadAddressNamingTheSetting(String text) {
        assertThatThrownBy(() -> Endpoint.Tcp.parse("policy.listen", text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("policy.listen: ");
    }
}
