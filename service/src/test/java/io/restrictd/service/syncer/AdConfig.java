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

    /** The password of {@link #trustStore} stores. */
    public static final String TRUST_STORE_PASSWORD = SyncerTlsIT.STORE_PASSWORD;

    /** A PKCS12 trust store at {@code store} holding the CA certificate {@code caPem} (made by keytool). */
    public static Path trustStore(Path caPem, Path store) throws Exception {
        return SyncerTlsIT.trustStore(caPem, store);
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
