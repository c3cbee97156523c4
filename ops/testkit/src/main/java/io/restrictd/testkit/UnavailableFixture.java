package io.restrictd.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;

/** What {@link Fixtures} hands out when the fixture set cannot be chosen: it fails every use with why. */
final class UnavailableFixture implements KafkaFixture, LdapFixture {
    private final String reason;

    UnavailableFixture(String reason) {
        this.reason = reason;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        throw new FixtureUnavailableException(reason);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // nothing was started
    }

    @Override
    public String bootstrapServers() {
        throw new FixtureUnavailableException(reason);
    }

    @Override
    public void createTopic(String name, int partitions, boolean compacted) {
        throw new FixtureUnavailableException(reason);
    }

    @Override
    public String url() {
        throw new FixtureUnavailableException(reason);
    }

    @Override
    public String rootDn() {
        throw new FixtureUnavailableException(reason);
    }
}
