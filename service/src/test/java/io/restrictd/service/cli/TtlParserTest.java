package io.restrictd.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TtlParserTest {
    @ParameterizedTest(name = "{0} = {1}s")
    @CsvSource({
        "90s, 90",
        "1s, 1",
        "15m, 900",
        "72h, 259200",
        "7d, 604800",
        "2w, 1209600",
        "' 3h ', 10800",
        "3650d, 315360000",
        "007m, 420",
    })
    void shouldParseEveryUnit(String text, long seconds) {
        assertThat(TtlParser.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0s        | ttl: '0s' is zero",
        "0w        | ttl: '0w' is zero",
        "-5m       | ttl: '-5m' is negative",
        "5         | ttl: '5' has no unit",
        "h         | ttl: 'h' does not start with a number",
        "5x        | ttl: '5x' has an unknown unit 'x'",
        "5M        | ttl: '5M' has an unknown unit 'M'",
        "1.5h      | ttl: '1.5h' is not a whole number followed by one unit",
        "1h30m     | ttl: '1h30m' is not a whole number followed by one unit",
        "5 d       | ttl: '5 d' is not a whole number followed by one unit",
        "3651d     | ttl: '3651d' is longer than the maximum of 3650d",
        "99999999999999999999999s | ttl: '99999999999999999999999s' is longer than the maximum",
        "''        | ttl: empty",
    })
    void shouldRejectWithAPreciseMessage(String text, String message) {
        assertThatThrownBy(() -> TtlParser.parse(text))
                .isInstanceOf(FieldException.class)
                .hasMessageStartingWith(message);
    }
}
