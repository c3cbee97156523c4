package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RestrictionKeyTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ldap|sender|testuser2@example.org", "abuse|login|testuser2", "abuse|sender|<>",
            "abuse|sender|.example.org", "abuse|sender|user@", "abuse|sender|user@xn--bcher-kva.example",
            "a.b_c-9|sender|example.org", "abuse|sender|jürgen@example.org"})
    void shouldRoundTripTheWireForm(String wire) {
        RestrictionKey key = RestrictionKey.parse(wire);

        assertThat(key.wire()).isEqualTo(wire);
        assertThat(RestrictionKey.parse(key.wire().getBytes(StandardCharsets.UTF_8))).isEqualTo(key);
        assertThat(key).hasToString(wire);
    }

    @Test
    void shouldSplitOnTheFirstTwoBarsSoSubjectsMayContainBars() {
        RestrictionKey sender = RestrictionKey.parse("abuse|sender|a|b@example.org");
        RestrictionKey login = RestrictionKey.parse("abuse|login|x||y|");

        assertThat(sender).isEqualTo(new RestrictionKey("abuse", Kind.SENDER, "a|b@example.org"));
        assertThat(login.subject()).isEqualTo("x||y|");
        assertThat(RestrictionKey.parse(login.wire())).isEqualTo(login);
    }

    @Test
    void shouldNormaliseTheSubjectOfAParsedKey() {
        RestrictionKey key = RestrictionKey.parse("ldap|SENDER|TestUser2@BÜCHER.example");

        assertThat(key.wire()).isEqualTo("ldap|sender|testuser2@xn--bcher-kva.example");
    }

    @Test
    void shouldKeepSourcesApart() {
        assertThat(RestrictionKey.parse("ldap|sender|x@example.org"))
                .isNotEqualTo(RestrictionKey.parse("abuse|sender|x@example.org"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '\t', textBlock = """
            ldap	key:
            ldap|sender	key:
            ''	key:
            |sender|x@example.org	source:
            LDAP|sender|x@example.org	source:
            -ldap|sender|x@example.org	source:
            a234567890123456789012345678901234|sender|x@example.org	source:
            ldap|recipient|x@example.org	kind:
            ldap||x@example.org	kind:
            ldap|sender|	subject:
            ldap|sender|x y@example.org	subject:
            ldap|sender|@example.org	subject:
            """)
    void shouldRejectInvalidKeys(String wire, String field) {
        assertThatThrownBy(() -> RestrictionKey.parse(wire))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field);
    }

    @Test
    void shouldRejectMissingKey() {
        assertThatThrownBy(() -> RestrictionKey.parse((String) null)).hasMessageStartingWith("key:");
        assertThatThrownBy(() -> RestrictionKey.parse((byte[]) null)).hasMessageStartingWith("key:");
    }

    @Test
    void shouldRejectKeyBytesThatAreNotUtf8() {
        byte[] latin1 = "ldap|sender|j\u00fcrgen@example.org".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> RestrictionKey.parse(latin1))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("key: not well-formed UTF-8");
    }

    @Test
    void shouldAcceptSourcesOfUpTo32Characters() {
        String source = "a".repeat(32);

        assertThat(new RestrictionKey(source, Kind.LOGIN, "x").source()).isEqualTo(source);
        assertThatThrownBy(() -> new RestrictionKey(source + "a", Kind.LOGIN, "x")).hasMessageStartingWith("source:");
    }

    @Test
    void shouldCheckSourceNamesExactlyAsTheSchemasPattern() throws Exception {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(JsonSchemas.resourceText(JsonSchemas.RESTRICTION)).at("/$defs/source/pattern").textValue());
        String alphabet = "az09._-A|@ \u00e9";
        java.util.Random random = new java.util.Random(20261202);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int len = random.nextInt(36); len > 0; len--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = b.toString();
            boolean expected = pattern.matcher(s).find();
            assertThat(RestrictionKey.isSourceName(s)).as("'%s'", s).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("names the pattern accepted").isGreaterThan(1_000);
        assertThat(RestrictionKey.isSourceName(null)).isFalse();
    }
}
