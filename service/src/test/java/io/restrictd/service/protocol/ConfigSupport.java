package io.restrictd.service.protocol;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Parses and validates a factory from YAML exactly as Dropwizard does for the node's config file. */
public final class ConfigSupport {
    private ConfigSupport() {
    }

    public static <T> T parse(Class<T> type, String prefix, String yaml) throws IOException, ConfigurationException {
        YamlConfigurationFactory<T> factory =
                new YamlConfigurationFactory<>(type, Validators.newValidator(), Jackson.newObjectMapper(), prefix);
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
    }
}
