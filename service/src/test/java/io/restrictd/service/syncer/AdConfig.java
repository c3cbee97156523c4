package io.restrictd.service.syncer;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.service.RestrictdApplication;
import io.restrictd.service.RestrictdConfiguration;
import io.restrictd.testkit.Repository;
import java.nio.file.Path;

/** The shipped ops/config/syncer-ad.yml, parsed as the syncer parses it; public for the end-to-end tests. */
public final class AdConfig {
    private AdConfig() {
    }

    /** syncer-ad.yml with {@code passwordFile} as ldap.bindPasswordFile. */
    public static SyncerConfiguration shipped(Path passwordFile) throws Exception {
        RestrictdApplication app = new RestrictdApplication();
        Bootstrap<RestrictdConfiguration> b = new Bootstrap<>(app);
        app.initialize(b);
        SyncerConfiguration c = new YamlConfigurationFactory<>(SyncerConfiguration.class,
                b.getValidatorFactory().getValidator(), b.getObjectMapper(), "dw")
                .build(b.getConfigurationSourceProvider(),
                        Repository.root().resolve("ops/config/syncer-ad.yml").toString());
        c.ldap.bindPasswordFile = passwordFile.toString();
        return c;
    }
}
