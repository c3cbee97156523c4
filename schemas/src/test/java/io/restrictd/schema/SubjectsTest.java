package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '\t', textBlock = """
            TestUser2@Example.ORG	testuser2@example.org
            testuser2@example.org	testuser2@example.org
            '  user@example.org  '	user@example.org
            user@BÜCHER.example	user@xn--bcher-kva.example
            user@bücher.example	user@xn--bcher-kva.example
            user@xn--bcher-kva.example	user@xn--bcher-kva.example
            JÜRGEN@example.org	jürgen@example.org
            <>	<>
            User@	user@
            Example.ORG	example.org
            example.org.	example.org
            .Example.ORG	.example.org
            .bücher.example	.xn--bcher-kva.example
            user@example.org.	user@example.org
            a|b@example.org	a|b@example.org
            "quoted@local"@example.org	"quoted@local"@example.org
            user@[IPv6:2001:DB8::1]	user@[ipv6:2001:db8::1]
            user@exa\u00ADmple.org	user@example.org
            """)
    void shouldNormaliseSenderSubjects(String raw, String normal) {
        assertThat(Subjects.normalize(Kind.SENDER, unescape(raw))).isEqualTo(normal);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '\t', textBlock = """
            TestUser2	testuser2
            testuser2@Example.ORG	testuser2@example.org
            IVAN	ivan
            user|with|pipes	user|with|pipes
            """)
    void shouldNormaliseLoginSubjects(String raw, String normal) {
        assertThat(Subjects.normalize(Kind.LOGIN, raw)).isEqualTo(normal);
    }

    @Test
    void shouldNotFoldLoginDomainsToALabels() {
        assertThat(Subjects.normalize(Kind.LOGIN, "user@BÜCHER.example")).isEqualTo("user@bücher.example");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TestUser2@Example.ORG", "user@BÜCHER.example", ".Example.ORG", "<>", "User@",
            "a|b@example.org", "jÜrgen@example.org."})
    void shouldBeIdempotent(String raw) {
        String once = Subjects.normalize(Kind.SENDER, raw);

        assertThat(Subjects.normalize(Kind.SENDER, once)).isEqualTo(once);
    }

    @Test
    void shouldFoldCaseTheSameUnderATurkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));

            assertThat(Subjects.normalize(Kind.SENDER, "IVAN@EXAMPLE.ORG")).isEqualTo("ivan@example.org");
            assertThat(Subjects.normalize(Kind.LOGIN, "ADMIN")).isEqualTo("admin");
            assertThat(Subjects.normalizeQuery(Kind.SENDER, "Info@Example.ORG")).isEqualTo("info@example.org");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '\t', textBlock = """
            ''	empty
            '   '	empty
            test user@example.org	whitespace
            user@exa mple.org	whitespace
            user\u2003x@example.org	whitespace
            user\u0000@example.org	control
            user\u0085@example.org	control
            user\u007F@example.org	control
            @example.org	empty local part
            user@exa!mple.org	contains '!'
            user@example..org	label
            user@.example.org	label
            ..example.org	label
            .	empty domain
            user@a.b\u2003c	whitespace
            """)
    void shouldRejectInvalidSenderSubjects(String raw, String why) {
        assertThatThrownBy(() -> Subjects.normalize(Kind.SENDER, unescape(raw)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("subject:")
                .hasMessageContaining(why);
    }

    @Test
    void shouldRejectMissingSubject() {
        assertThatThrownBy(() -> Subjects.normalize(Kind.SENDER, null))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("subject: missing");
    }

    @Test
    void shouldRejectOverLongLabel() {
        assertThatThrownBy(() -> Subjects.normalize(Kind.SENDER, "user@" + "a".repeat(64) + ".example"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("subject:");
    }

    @Test
    void shouldAcceptSubjectsUpTo320CharactersAndNoMore() {
        String login320 = "u".repeat(Subjects.MAX_LENGTH);

        assertThat(Subjects.normalize(Kind.LOGIN, login320)).isEqualTo(login320);
        assertThatThrownBy(() -> Subjects.normalize(Kind.LOGIN, login320 + "u"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("longer than 320");
    }

    @Test
    void shouldCountCodePointsNotUtf16UnitsAsJsonSchemaDoes() {
        String astral = "\uD83D\uDE00".repeat(Subjects.MAX_LENGTH); // 320 code points, 640 chars

        assertThat(Subjects.normalize(Kind.LOGIN, astral)).isEqualTo(astral);
    }

    @Test
    void shouldRejectSubjectWhoseALabelFormIsOverTheLimit() {
        String raw = "u".repeat(200) + "@" + "ü.".repeat(50) + "de"; // 303 characters; each ü. is xn--tda.

        assertThat(raw.length()).isLessThanOrEqualTo(Subjects.MAX_LENGTH);
        assertThatThrownBy(() -> Subjects.normalize(Kind.SENDER, raw))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("longer than 320");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '\t', textBlock = """
            ''	<>
            Info@Example.ORG	info@example.org
            user@xn--zz-!!.example	user@xn--zz-!!.example
            BAD VALUE	bad value
            """)
    void shouldNormaliseQueriesWithoutThrowing(String raw, String normal) {
        assertThat(Subjects.normalizeQuery(Kind.SENDER, raw)).isEqualTo(normal);
    }

    /** CsvSource cannot hold control characters literally; fixtures spell them \\uXXXX. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\u", i) && i + 6 <= s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    @Test
    void shouldTakeTheShortcutOnlyWhereTheFullRulesGiveTheSubjectBack() {
        String alphabet = "abcxyzAZ019-_.@@..<>[]:|+\"\u00e9\u00c9 \t";
        java.util.Random random = new java.util.Random(20261202);
        int shortcuts = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int len = random.nextInt(i % 10 == 0 ? 80 : 16); len > 0; len--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = i % 3 == 0 ? "user" + b + "@example.org" : b.toString();
            for (Kind kind : Kind.values()) {
                String full;
                try {
                    full = Subjects.normalizeFully(kind, s);
                } catch (InvalidEventException e) {
                    full = "rejected: " + e.getMessage();
                }
                String shortcut;
                try {
                    shortcut = Subjects.normalize(kind, s);
                } catch (InvalidEventException e) {
                    shortcut = "rejected: " + e.getMessage();
                }
                assertThat(shortcut).as("%s '%s'", kind, s).isEqualTo(full);
                if (Subjects.isNormal(kind, s)) {
                    assertThat(full).as("%s '%s' taken as normal", kind, s).isEqualTo(s);
                    shortcuts++;
                }
            }
        }
        assertThat(shortcuts).as("subjects that took the shortcut").isGreaterThan(10_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"user@example.org", "user@", "example.org", ".example.org", "<>", "a|b@example.org",
            "user@xn--bcher-kva.example", "jürgen@example.org|login"})
    void shouldTakeTheShortcutForStoredForms(String subject) {
        Kind kind = subject.endsWith("|login") ? Kind.LOGIN : Kind.SENDER;
        String s = subject.replace("|login", "");
        assertThat(Subjects.normalizeFully(kind, s)).isEqualTo(s);
        assertThat(Subjects.isNormal(kind, s)).isEqualTo(s.chars().allMatch(c -> c < 0x7f));
    }

    @Test
    void shouldNotTakeTheShortcutForALabelOf64OrAnAddressLiteral() {
        String label64 = "a".repeat(64);
        assertThat(Subjects.isNormal(Kind.SENDER, "user@" + label64 + ".org")).isFalse();
        assertThat(Subjects.isNormal(Kind.SENDER, "user@" + "a".repeat(63) + ".org")).isTrue();
        assertThat(Subjects.isNormal(Kind.SENDER, "user@[192.0.2.1]")).isFalse();
        assertThat(Subjects.normalize(Kind.SENDER, "user@[192.0.2.1]")).isEqualTo("user@[192.0.2.1]");
    }
}
