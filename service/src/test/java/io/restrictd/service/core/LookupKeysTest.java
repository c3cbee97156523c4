package io.restrictd.service.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LookupKeysTest {
    private final LookupKeys parentMatches = new LookupKeys("+", true);
    private final LookupKeys dotOnly = new LookupKeys("+", false);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "user@example.org               | user@example.org example.org org user@",
        "User+Ext@Example.ORG           | user+ext@example.org user@example.org example.org org user+ext@ user@",
        "a@mx.sub.example.org           | a@mx.sub.example.org mx.sub.example.org sub.example.org example.org org a@",
        "<>                             | <>",
        "''                             | <>",
        "postmaster                     | postmaster postmaster@",
        "+only@example.org              | +only@example.org example.org org +only@",
        "user@BÜCHER.example            | user@xn--bcher-kva.example xn--bcher-kva.example example user@",
        "user@[192.0.2.1]               | user@[192.0.2.1] [192.0.2.1] user@",
    })
    void shouldExpandSenderInAccessOrderWhenParentDomainsMatch(String raw, String expected) {
        List<String> keys = parentMatches.expand(Kind.SENDER, raw);
        assertThat(keys).containsExactlyElementsOf(Arrays.asList(expected.split(" ")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "user@example.org               | user@example.org example.org .org user@",
        "a@mx.example.org               | a@mx.example.org mx.example.org .example.org .org a@",
        "u+x@mx.example.org             | u+x@mx.example.org u@mx.example.org mx.example.org .example.org .org u+x@ u@",
    })
    void shouldOnlyTryDotPatternsForParentsWhenParentDomainsDoNotMatch(String raw, String expected) {
        assertThat(dotOnly.expand(Kind.SENDER, raw)).containsExactlyElementsOf(Arrays.asList(expected.split(" ")));
    }

    @ParameterizedTest
    @CsvSource({"owner-list@example.org,-", "list-request@example.org,-"})
    void shouldNotSplitListAddressesOnDash(String raw, String delimiter) {
        List<String> keys = new LookupKeys(delimiter, true).expand(Kind.SENDER, raw);
        assertThat(keys).doesNotContain("owner@example.org", "list@example.org");
    }

    @ParameterizedTest
    @CsvSource({"Alice,alice", "ALICE@Example.org,alice@example.org"})
    void shouldLookUpLoginsWholeAndFolded(String raw, String expected) {
        assertThat(parentMatches.expand(Kind.LOGIN, raw)).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource({"user+a+b@example.org,user@example.org", "user-x@example.org,user@example.org"})
    void shouldSplitAtTheFirstOfSeveralDelimiters(String raw, String base) {
        assertThat(new LookupKeys("+-", true).expand(Kind.SENDER, raw)).contains(base);
    }
}
