package io.restrictd.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.core.setup.Bootstrap;
import io.restrictd.service.RestrictdApplication;
import io.restrictd.service.RestrictdConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped ops/config/node.yml is valid, and broken configs fail naming the setting. */
class NodeConfigurationTest {
    private final Bootstrap<RestrictdConfiguration> bootstrap = bootstrap();
    private final ConfigurationFactory<RestrictdConfiguration> factory = bootstrap.getConfigurationFactoryFactory()
            .create(RestrictdConfiguration.class, bootstrap.getValidatorFactory().getValidator(),
                    bootstrap.getObjectMapper(), "dw");

    /** The application's own bootstrap: its object mapper, validator and env substitution. */
    private static Bootstrap<RestrictdConfiguration> bootstrap() {
        RestrictdApplication app = new RestrictdApplication();
        Bootstrap<RestrictdConfiguration> b = new Bootstrap<>(app);
        app.initialize(b);
        return b;
    }

    @TempDir
    Path tmp;

    static Path repository() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("ops/config"))) {
            p = p.getParent();
        }
        return p;
    }

    private RestrictdConfiguration load(Path file) throws Exception {
        return factory.build(bootstrap.getConfigurationSourceProvider(), file.toString());
    }

    @Test
    void shouldLoadTheShippedNodeConfigWithItsDefaults() throws Exception {
        RestrictdConfiguration config = load(repository().resolve("ops/config/node.yml"));
        assertThat(config.getKafka().getTopic()).isEqualTo("restrictd.restrictions");
        assertThat(config.getSocketmap().getListen()).isEqualTo("127.0.0.1:10041");
        assertThat(config.getPolicy().getListen()).isEqualTo("127.0.0.1:10040");
        assertThat(config.getLookup().getRecipientDelimiter()).isEqualTo("+");
    }

    @Test
    void shouldDefaultMaxOfflineToTheDeleteRetentionTopicsAreCreatedWith() throws Exception {
        Path minimal = Files.writeString(tmp.resolve("minimal.yml"), "kafka:\n  topic: t\n");
        RestrictdConfiguration config = load(minimal);
        assertThat(config.getIngest().getMaxOffline().toJavaDuration())
                .isEqualTo(io.restrictd.kafka.TopicSettings.DEFAULT_DELETE_RETENTION)
                .isEqualTo(config.getKafka().topicSettings().deleteRetention());
        assertThat(config.getIngest().getMaxOffline()).hasToString("24 hours");
    }

    @Test
    void shouldNameTheSettingAtFaultWhenAValueIsInvalid() throws Exception {
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, "kafka:\n  topic: ''\ningest:\n  maxCommitChanges: 0\n");
        assertThatThrownBy(() -> load(bad)).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("kafka.topic").hasMessageContaining("ingest.maxCommitChanges");
    }

    @Test
    void shouldRejectUnknownKeys() throws Exception {
        Path bad = tmp.resolve("typo.yml");
        Files.writeString(bad, "store:\n  pth: /tmp/x\n");
        assertThatThrownBy(() -> load(bad)).isInstanceOf(ConfigurationException.class).hasMessageContaining("pth");
    }
}
